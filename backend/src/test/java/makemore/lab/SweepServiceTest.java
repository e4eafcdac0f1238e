package makemore.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import makemore.store.RunStore;
import makemore.sweep.SweepView;
import makemore.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweeps on one trainer, so the order points run in is known: stop, pruning, delete, nothing half-created. */
class SweepServiceTest {
    @TempDir
    Path dir;
    RunStore store;
    RunService runs;
    SweepService sweeps;

    @BeforeEach
    void open() {
        store = new RunStore(dir.resolve("lab.db").toString());
        runs = new RunService(store, new DatasetLibrary(dir), dir, 1);
        sweeps = new SweepService(store, runs);
    }

    @AfterEach
    void close() {
        sweeps.close();
        runs.close();
        store.close();
    }

    SweepView waitUntil(String id, Predicate<SweepView> done) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            SweepView v = sweeps.get(id);
            if (done.test(v)) {
                return v;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("sweep " + id + " never got there: " + sweeps.get(id).points());
    }

    @Test
    void stopCancelsQueuedStopsRunningAndLeavesFinishedAlone() throws Exception {
        String id = (String) sweeps.create("{\"base\":{\"model\":\"mlp\",\"hidden\":16,\"evalEvery\":1000},"
                + "\"params\":[{\"field\":\"steps\",\"values\":[50,400000,400001,400002]}],\"together\":1}").get("id");
        // running and past its first progress point, so a stop under load still leaves steps behind it
        SweepView v = waitUntil(id, s -> s.points().get(1).status().equals("running") && s.points().get(1).step() > 0);
        assertEquals("finished", v.points().get(0).status(), v.points().get(0).message());
        sweeps.stop(id);
        v = waitUntil(id, s -> s.status().equals("stopped") && s.points().stream()
                .allMatch(p -> !p.status().equals("running") && !p.status().equals("queued")));
        runs.flush();
        v = sweeps.get(id);
        assertEquals("finished", v.points().get(0).status(), v.points().get(0).message());
        assertEquals(50, v.points().get(0).step());
        assertEquals("stopped", v.points().get(1).status());
        assertTrue(v.points().get(1).step() > 0);
        for (int i = 2; i < 4; i++) {
            assertEquals("stopped", v.points().get(i).status());
            assertEquals(0, v.points().get(i).step());
            assertTrue(v.points().get(i).message().contains("cancelled"), v.points().get(i).message());
        }
        // stored as such: a fresh read of the store agrees
        assertEquals(List.of("finished", "stopped", "stopped", "stopped"), sweeps.store().points(id).stream()
                .map(p -> p.status().label()).toList());
        List<String> ids = v.points().stream().map(SweepView.Point::run).toList();
        sweeps.delete(id);
        assertEquals(404, assertThrows(LabException.class, () -> sweeps.get(id)).status());
        for (String run : ids) {
            assertEquals(404, assertThrows(LabException.class, () -> runs.get(run)).status());
        }
    }

    @Test
    void aPointWorseThanTheFinishedMedianIsPruned() throws Exception {
        String id = (String) sweeps.create("{\"base\":{\"model\":\"mlp\",\"hidden\":16,\"steps\":1000,\"evalEvery\":200,"
                + "\"schedule\":\"constant\"},\"params\":[{\"field\":\"lr\",\"values\":[0.2,0.0001]}],"
                + "\"prune\":{\"margin\":0.05,\"minFinished\":1}}").get("id");
        SweepView v = waitUntil(id, s -> s.status().equals("finished"));
        runs.flush();
        v = sweeps.get(id);
        assertEquals("finished", v.points().get(0).status(), v.points().get(0).message());
        assertEquals("pruned", v.points().get(1).status(), v.points().get(1).message());
        assertEquals(200, v.points().get(1).step());
        assertTrue(v.points().get(1).message().contains("median"), v.points().get(1).message());
        assertEquals(0, v.best().index());
    }

    @Test
    void pointsOfTheSameShapesTrainTogetherOnOneTrainerEachStoredAsItsOwnRun() throws Exception {
        String id = (String) sweeps.create("{\"base\":{\"model\":\"mlp\",\"hidden\":16,\"steps\":60,\"evalEvery\":30,"
                + "\"schedule\":\"constant\"},\"params\":[{\"field\":\"lr\",\"values\":[0.05,0.1,0.3]}],"
                + "\"together\":3}").get("id");
        SweepView v = waitUntil(id, s -> s.status().equals("finished"));
        runs.flush();
        for (SweepView.Point p : sweeps.get(id).points()) {
            var r = store.get(p.run()).orElseThrow();
            assertEquals("finished", r.status().label(), r.message());
            double lr = ((Number) p.params().get("lr")).doubleValue();
            assertTrue(r.progress().stream().allMatch(q -> q.lr() == lr), "only its own progress points");
            assertEquals(List.of(30L, 30L, 60L, 60L), r.evals().stream().map(e -> e.step()).toList());
        }
        assertEquals(3, v.points().stream().map(SweepView.Point::dev).distinct().count(), "three curves, not one");
    }

    @Test
    void togetherOutOfRangeIsRefusedNamingIt() {
        for (String bad : List.of("0", "1001", "2.5", "\"all\"")) {
            ConfigException e = assertThrows(ConfigException.class, () -> sweeps.create("{\"base\":{\"model\":\"mlp\"},"
                    + "\"params\":[{\"field\":\"lr\",\"values\":[0.1,0.2]}],\"together\":" + bad + "}"));
            assertEquals("together", e.field(), e.getMessage());
        }
        assertTrue(sweeps.list().isEmpty());
    }

    @Test
    void aBadPointCreatesNothing() {
        ConfigException e = assertThrows(ConfigException.class, () -> sweeps.create("{\"base\":{\"model\":\"mlp\","
                + "\"steps\":100},\"params\":[{\"field\":\"hidden\",\"values\":[16,5000]}]}"));
        assertEquals("hidden", e.field());
        assertTrue(e.getMessage().startsWith("point 1 {hidden=5000}"), e.getMessage());
        ConfigException data = assertThrows(ConfigException.class, () -> sweeps.create("{\"base\":{\"model\":\"ngram\","
                + "\"dataset\":\"0123456789abcdef\"},\"params\":[{\"field\":\"smoothing\",\"values\":[1,2]}]}"));
        assertEquals("dataset", data.field());
        // a batch too large for memory is found per point, against the data
        ConfigException mem = assertThrows(ConfigException.class, () -> sweeps.create("{\"base\":{\"model\":\"mlp\","
                + "\"steps\":100,\"context\":16},\"params\":[{\"field\":\"batch\",\"values\":[32,65536]}]}"));
        assertTrue(mem.getMessage().startsWith("point 1"), mem.getMessage());
        assertTrue(sweeps.list().isEmpty());
        assertTrue(store.list().isEmpty());
    }
}
