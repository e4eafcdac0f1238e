package makemore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import makemore.config.RunConfig;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import makemore.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreWriterOutageTest {
    /** Events wait for an unreachable database only so long: past the window the run fails, saying why. */
    @Test
    void pastTheWindowTheRunFailsSayingWhy(@TempDir Path dir) throws Exception {
        Map<String, String> failures = new ConcurrentHashMap<>();
        try (TestPostgres pg = TestPostgres.start(dir); RunStore store = new RunStore(pg.url);
                StoreWriter writer = new StoreWriter(store, failures::put, 1000)) {
            RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"mlp\",\"steps\":100}"));
            store.insert("r1", "2026-01-01T00:00:00Z", cfg, RunStatus.QUEUED, RunStatus.WAITING);
            writer.offer("r1", new RunEvent.Eval(10, "dev", 2.5));
            writer.flush();
            pg.stopServer();
            writer.offer("r1", new RunEvent.Eval(20, "dev", 2.4));
            writer.flush();
            assertTrue(failures.isEmpty(), "within the window the events wait: " + failures);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (failures.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertTrue(failures.getOrDefault("r1", "").contains("unreachable for over 1 s"), failures.toString());
            writer.offer("r1", new RunEvent.Status(20, RunStatus.FAILED, "failed"));
            pg.startServer();
            end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            RunRecord r = null;
            while (System.nanoTime() < end) {
                try {
                    r = store.get("r1").orElseThrow();
                    if (r.status() == RunStatus.FAILED) {
                        break;
                    }
                } catch (StoreException stillDown) {
                    // the connection comes back on a later try
                }
                Thread.sleep(100);
            }
            assertEquals(RunStatus.FAILED, r.status());
            assertTrue(r.message().contains("unreachable"), r.message());
            assertEquals(List.of(10L), r.evals().stream().map(RunEvent.Eval::step).toList(),
                    "what was stored before is kept");
        }
    }
}
