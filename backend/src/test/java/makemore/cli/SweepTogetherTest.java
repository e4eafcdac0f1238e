package makemore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import makemore.event.RunEvent;
import makemore.store.RunRecord;
import makemore.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./lab sweep --together K}: bad values are refused naming the flag; a group's points are stored apart. */
class SweepTogetherTest {
    static final String[] MLP = {"--model", "mlp", "--hidden", "8", "--steps", "60", "--evalEvery", "20",
        "--schedule", "constant", "--param", "lr", "--values", "0.05,0.1,0.3", "--json"};

    @TempDir
    Path dir;

    SweepCommandTest.Result sweep(String db, String together) throws Exception {
        String[] args = java.util.Arrays.copyOf(MLP, MLP.length + 4);
        args[MLP.length] = "--db";
        args[MLP.length + 1] = dir.resolve(db).toString();
        args[MLP.length + 2] = "--together";
        args[MLP.length + 3] = together;
        return SweepCommandTest.inJvmArgs(Map.of(), args);
    }

    @Test
    void togetherBelowOneOrAboveTheQueueBoundIsExit2NamingIt() throws Exception {
        for (String bad : List.of("0", "-3", "1001")) {
            SweepCommandTest.Result r = sweep("bad.db", bad);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("together must be 1 (each point alone) to 1000 (the queue bound), got " + bad),
                    r.err());
        }
        SweepCommandTest.Result r = sweep("bad.db", "two");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--together"), r.err());
        assertFalse(Files.exists(dir.resolve("bad.db")), "nothing is created for a bad value");
    }

    /**
     * The same sweep with its three points as one group and one at a time: each stored run holds its own point's
     * curve (its lr on every progress point, its evaluations), the same in both within 1e-4.
     */
    @Test
    void aGroupsPointsAreStoredAsTheirOwnRunsWithTheirOneAtATimeCurves() throws Exception {
        SweepCommandTest.Result together = sweep("together.db", "3");
        assertEquals(0, together.code(), together.err());
        SweepCommandTest.Result alone = sweep("alone.db", "1");
        assertEquals(0, alone.code(), alone.err());
        assertTrue(together.err().contains("points 0,1,2 train together as one batched model"), together.err());
        assertFalse(alone.err().contains("together"), alone.err());
        JsonNode t = SweepCommandTest.lastLine(together.out()).get("points");
        JsonNode a = SweepCommandTest.lastLine(alone.out()).get("points");
        try (RunStore ts = new RunStore(dir.resolve("together.db").toString());
                RunStore as = new RunStore(dir.resolve("alone.db").toString())) {
            for (int i = 0; i < 3; i++) {
                double lr = t.get(i).get("params").get("lr").asDouble();
                RunRecord g = ts.get(t.get(i).get("run").asText()).orElseThrow();
                RunRecord s = as.get(a.get(i).get("run").asText()).orElseThrow();
                assertEquals("finished", g.status().label());
                assertEquals(60, g.progress().size(), "one progress point a step, this point's only");
                for (RunRecord.Point p : g.progress()) {
                    assertEquals(lr, p.lr(), 1e-12, "point " + i + " step " + p.step() + " carries its own lr");
                }
                for (int j = 0; j < g.progress().size(); j++) {
                    assertEquals(s.progress().get(j).trainLoss(), g.progress().get(j).trainLoss(), 1e-4,
                            "point " + i + " train loss at step " + g.progress().get(j).step());
                }
                List<RunEvent.Eval> ge = g.evals();
                List<RunEvent.Eval> se = s.evals();
                assertEquals(6, ge.size(), "train and dev at 20, 40 and 60");
                for (int j = 0; j < ge.size(); j++) {
                    assertEquals(se.get(j).step(), ge.get(j).step());
                    assertEquals(se.get(j).split(), ge.get(j).split());
                    assertEquals(se.get(j).loss(), ge.get(j).loss(), 1e-4, "point " + i + " " + ge.get(j));
                }
                assertTrue(g.bestDev() < Math.log(27), "60 steps learn something: " + g.bestDev());
            }
        }
        assertTrue(Math.abs(t.get(0).get("dev").asDouble() - t.get(2).get("dev").asDouble()) > 1e-3,
                "the points differ, so equal curves are not one point's curve copied");
    }
}
