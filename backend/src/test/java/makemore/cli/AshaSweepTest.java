package makemore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import makemore.store.RunStore;
import makemore.store.RungStore;
import makemore.store.SweepStore;
import makemore.sweep.Asha;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ASHA across three JVMs on one database, each walking the same nine trials under one sweep id: promotion is
 * decided in the database, so whatever the interleaving every trial ends once, none is trained past the rung where
 * it was stopped, and every decision is the one the rule gives for the results recorded before it.
 */
class AshaSweepTest {
    static final List<String> ASHA = List.of("--model", "mlp", "--steps", "180", "--evalEvery", "20", "--batch", "16",
            "--param", "lr", "--range", "0.001:1:log", "--param", "hidden", "--range", "8:48", "--search", "asha",
            "--trials", "9", "--min-steps", "20", "--eta", "3", "--seed", "1", "--sweep-id", "asha1");

    @TempDir
    Path dir;

    @Test
    void threeProcessesShareOneSqliteAshaSweep() throws Exception {
        String db = dir.resolve("asha.db").toString();
        threeProcesses(db);
        check(db);
    }

    @Test
    void threeProcessesShareOnePostgresqlAshaSweep() throws Exception {
        try (makemore.store.TestPostgres pg = makemore.store.TestPostgres.start(dir)) {
            threeProcesses(pg.url);
            check(pg.url);
        }
    }

    @Test
    void badAshaFlagsExitTwoNamingTheFlag() throws Exception {
        String db = dir.resolve("bad.db").toString();
        assertBad("--trials", List.of("--trials", "1"), db);
        assertBad("--eta", List.of("--eta", "1"), db);
        assertBad("--min-steps", List.of("--min-steps", "200"), db);
        assertBad("--trials", List.of("--trials", "501"), db);
        List<String> cooled = new ArrayList<>(ASHA);
        cooled.addAll(List.of("--rung-cooldown", "-1"));
        assertBad("--rung-cooldown", List.of("--rung-cooldown", "-1"), db, cooled);
        List<String> random = new ArrayList<>(cooled);
        random.set(random.indexOf("asha"), "random");
        random.set(random.indexOf("-1"), "20");
        random.subList(random.indexOf("--min-steps"), random.indexOf("--min-steps") + 4).clear(); // and --eta
        SweepCommandTest.Result r = run(random, db);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--rung-cooldown is for --search asha"), r.err());
        List<String> grid = new ArrayList<>(ASHA);
        grid.set(grid.indexOf("0.001:1:log"), "0.001:1:3:log");
        assertEquals(2, run(grid, db).code());
        assertTrue(run(grid, db).err().contains("lo:hi or lo:hi:log"));
    }

    private void assertBad(String flag, List<String> change, String db) throws Exception {
        assertBad(flag, change, db, ASHA);
    }

    private void assertBad(String flag, List<String> change, String db, List<String> base) throws Exception {
        List<String> args = new ArrayList<>(base);
        args.set(args.indexOf(change.get(0)) + 1, change.get(1));
        SweepCommandTest.Result r = run(args, db);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: " + flag + ":"), r.err());
    }

    private static SweepCommandTest.Result run(List<String> args, String db) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--db", db, "--json", "--quiet"));
        return SweepCommandTest.inJvmArgs(Map.of(), all.toArray(String[]::new));
    }

    /** Three JVMs started together, as three workers with no coordinator: each claims whatever trial is free. */
    private void threeProcesses(String db) throws Exception {
        List<String> args = new ArrayList<>(ASHA);
        args.addAll(List.of("--db", db, "--json", "--quiet", "--params-dir", dir.resolve("params").toString()));
        SweepJvms.start(args, i -> Map.of(), 240);
    }

    private void check(String db) throws Exception {
        List<Long> rungSteps = Asha.rungs(20, 3, 180);
        try (RunStore store = new RunStore(db)) {
            SweepStore sweeps = new SweepStore(store);
            List<SweepStore.PointRun> points = sweeps.points("asha1");
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), points.stream().map(SweepStore.PointRun::point).toList());
            assertEquals(9, store.list().size(), "one run per trial: none trained twice");
            Map<Integer, List<RungStore.Row>> byTrial = new TreeMap<>();
            List<RungStore.Row> rows = new RungStore(store).rows("asha1");
            rows.forEach(r -> byTrial.computeIfAbsent(r.trial(), k -> new ArrayList<>()).add(r));
            long stepsTrained = 0;
            Set<String> runs = new HashSet<>();
            for (SweepStore.PointRun p : points) {
                runs.add(p.run());
                List<RungStore.Row> mine = byTrial.get(p.point());
                RungStore.Row last = mine.get(mine.size() - 1);
                for (int k = 0; k < mine.size(); k++) {
                    assertEquals(k, mine.get(k).rung(), "trial " + p.point() + " reached its rungs in order");
                    if (k < mine.size() - 1) {
                        assertEquals(Boolean.TRUE, mine.get(k).promoted());
                    }
                }
                if (p.status() == RunStatus.PRUNED) {
                    assertEquals(Boolean.FALSE, last.promoted());
                } else {
                    assertEquals(RunStatus.FINISHED, p.status(), "trial " + p.point() + ": " + p.message());
                    assertEquals(rungSteps.size() - 1, last.rung());
                    assertNull(last.promoted());
                }
                assertEquals(last.step(), p.step(), "trial " + p.point() + " stopped at its last rung");
                long furthest = store.get(p.run()).orElseThrow().evals().stream().mapToLong(RunEvent.Eval::step)
                        .max().orElseThrow();
                assertEquals(last.step(), furthest, "no evaluation past the rung where trial " + p.point() + " stopped");
                stepsTrained += p.step();
            }
            assertEquals(9, runs.size());
            for (int k = 0; k < rungSteps.size() - 1; k++) { // replay each rung in the order the database decided it
                int rung = k;
                List<RungStore.Row> at = rows.stream().filter(r -> r.rung() == rung)
                        .sorted(Comparator.comparing(RungStore.Row::decidedAt)).toList();
                List<Double> before = new ArrayList<>();
                for (RungStore.Row r : at) {
                    assertEquals(Asha.promote(r.dev(), before, 3), r.promoted(), "rung " + rung + " trial " + r.trial());
                    before.add(r.dev());
                }
            }
            assertEquals(9, rows.stream().filter(r -> r.rung() == 0).count(), "every trial reached rung 0");
            assertTrue(stepsTrained < 9 * 180 * 0.7, "ASHA saved steps: " + stepsTrained);
            // a fourth worker finds nothing left, and reports what the search cost and the best trial
            SweepCommandTest.Result again = run(ASHA, db);
            assertEquals(0, again.code(), again.err());
            JsonNode out = SweepCommandTest.lastLine(again.out());
            long decisions = rows.stream().filter(r -> r.promoted() != null).count();
            assertEquals(stepsTrained + 5 * decisions, out.get("stepsTrained").asLong(),
                    "the trials' steps and a 5-step cooldown branch (the default: --min-steps / 4) per decision below the top");
            assertEquals(5, out.get("asha").get("cooldown").asInt());
            double bestTop = rows.stream().filter(r -> r.rung() == rungSteps.size() - 1)
                    .mapToDouble(RungStore.Row::dev).min().orElseThrow();
            assertEquals(bestTop, out.get("best").get("dev").asDouble(), 1e-9, "the best is the best at the top rung");
            JsonNode asha = out.get("asha");
            assertEquals(9, asha.get("rungs").get(0).get("reached").asInt());
            assertEquals(asha.get("rungs").get(1).get("reached").asInt(), asha.get("rungs").get(0).get("promoted").asInt());
        }
    }
}
