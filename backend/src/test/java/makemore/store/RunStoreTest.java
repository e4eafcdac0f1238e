package makemore.store;

import makemore.model.Models;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import makemore.event.EmbeddingPoint;
import makemore.config.RunConfig;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same store behaviour on SQLite and, when this machine has its server, on a real PostgreSQL. */
class RunStoreTest {
    @TempDir
    Path dir;

    static void exercise(RunStore store) {
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"steps\":100}"));
        store.insert("r1", "2026-01-01T00:00:00Z", cfg, RunStatus.QUEUED, "waiting");
        store.insert("r2", "2026-01-02T00:00:00Z", cfg, RunStatus.RUNNING, "");
        store.append("r1", List.of(new RunEvent.Status(0, RunStatus.RUNNING, "go"),
                new RunEvent.Progress(10, 3.1, 0.1, 1000), new RunEvent.Progress(20, 2.9, 0.1, 1100, 0.25),
                new RunEvent.LrChange(15, 0.05), new RunEvent.Eval(20, "dev", 2.8), new RunEvent.Eval(20, "train", 2.7),
                new RunEvent.Samples(20, List.of(new RunEvent.Sample("ava", "train"), new RunEvent.Sample("zyx", null))),
                new RunEvent.Embedding(20, List.of(new EmbeddingPoint(".", 0.5, -1))),
                new RunEvent.Eval(40, "dev", Double.POSITIVE_INFINITY),
                new RunEvent.Samples(40, List.of(new RunEvent.Sample("bo", null))),
                new RunEvent.Status(40, RunStatus.FINISHED, "done")));
        RunRecord r = store.get("r1").orElseThrow();
        assertEquals(RunStatus.FINISHED, r.status());
        assertEquals(40, r.step());
        assertEquals(2, r.progress().size());
        assertEquals(2.9, r.progress().get(1).trainLoss(), 1e-12);
        assertEquals(null, r.progress().get(0).penalty(), "no penalty: none stored");
        assertEquals(0.25, r.progress().get(1).penalty(), 1e-12, "the L2 penalty is kept apart from the NLL");
        assertEquals(2.8, r.bestDev(), 1e-12);
        assertEquals(3, r.evals().size());
        assertTrue(Double.isInfinite(r.evals().get(2).loss()), "an infinite NLL survives the round trip");
        assertEquals(List.of(new RunEvent.LrChange(15, 0.05)), r.lrChanges());
        assertEquals("bo", r.samples().names().get(0).text()); // the latest samples replace older ones
        assertEquals(".", r.embedding().points().get(0).ch());
        assertEquals(cfg.with("lrChanges", List.of(new RunConfig.LrPoint(15, 0.05))), r.config(),
                "the stored config, with the change it recorded, so it re-posts as the same run");
        store.setTest("r1", 2.75);
        assertEquals(2.75, store.get("r1").orElseThrow().test().loss(), 1e-12);
        assertTrue(store.setLabels("r1", new RunRecord.Labels("wide MLP", "lr 0.1, then 0.05")));
        assertFalse(store.setLabels("nope", new RunRecord.Labels("x", null)));
        assertEquals("wide MLP", store.get("r1").orElseThrow().name());
        assertEquals("lr 0.1, then 0.05", store.get("r1").orElseThrow().note());
        assertEquals(1, store.markInterrupted());
        List<RunRecord.Summary> list = store.list();
        assertEquals(List.of("r2", "r1"), list.stream().map(RunRecord.Summary::id).toList());
        assertEquals(RunStatus.INTERRUPTED, list.get(0).status());
        assertEquals("wide MLP", list.get(1).name());
        assertEquals(null, list.get(0).name());
        assertTrue(store.delete("r1"));
        assertTrue(store.get("r1").isEmpty());
        assertEquals(1, store.list().size());
    }

    @Test
    void sqlite() {
        try (RunStore store = new RunStore(dir.resolve("t.db").toString())) {
            exercise(store);
        }
    }

    @Test
    void postgresql() throws Exception {
        try (TestPostgres pg = TestPostgres.start(dir); RunStore store = new RunStore(pg.url)) {
            exercise(store);
        }
    }
}
