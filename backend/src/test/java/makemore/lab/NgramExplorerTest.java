package makemore.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import makemore.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NgramExplorerTest {
    @TempDir
    Path dir;

    /** Add-k's scores with Kneser-Ney's next to them, per context, so the page can plot both against context. */
    @Test
    @SuppressWarnings("unchecked")
    void kneserNeyDevComesWithAddK() {
        NgramExplorer e = new NgramExplorer(new DatasetLibrary(dir));
        Map<String, Object> five = e.score("names", 5, 0.1, 0.75);
        Map<String, Object> kn = (Map<String, Object>) five.get("kneserNey");
        assertEquals(0.75, kn.get("discount"));
        assertEquals(2.3106, (double) five.get("dev"), 1e-3, "add-k 0.1 at context 5");
        assertEquals(1.9901, (double) kn.get("dev"), 1e-3, "Kneser-Ney at context 5");
        assertTrue((double) kn.get("train") < (double) kn.get("dev"));
        Map<String, Object> other = (Map<String, Object>) e.score("names", 5, 0.1, 0.9).get("kneserNey");
        assertTrue((double) other.get("dev") < (double) kn.get("dev"), "D = 0.9 is better here");
        ConfigException bad = assertThrows(ConfigException.class, () -> e.score("names", 3, 0.1, 0));
        assertEquals("discount", bad.field());
    }

    private static long workerCpuNanos() {
        var mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("job-count-table")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }

    /**
     * A table over a big upload takes seconds to count; when its client leaves, the request ends at once and the
     * counting stops, so the worker is idle and free for the next request.
     */
    @Test
    void anAbandonedTableStopsCounting() throws Exception {
        StringBuilder sb = new StringBuilder();
        Random r = new Random(1);
        for (int i = 0; i < 1_500_000; i++) {
            int n = 4 + r.nextInt(6);
            for (int j = 0; j < n; j++) {
                sb.append((char) ('a' + r.nextInt(26)));
            }
            sb.append('\n');
        }
        Files.createDirectories(dir.resolve("datasets"));
        Files.writeString(dir.resolve("datasets/00000000000000aa.txt"), sb);
        NgramExplorer e = new NgramExplorer(new DatasetLibrary(dir));
        AtomicBoolean gone = new AtomicBoolean();
        long t0 = System.nanoTime();
        Thread leaver = new Thread(() -> {
            while (workerCpuNanos() < 300_000_000L && System.nanoTime() - t0 < 30_000_000_000L) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    return;
                }
            }
            gone.set(true); // the worker has been counting a while: the page is closed
        });
        leaver.start();
        LabException left = assertThrows(LabException.class, () -> e.score("00000000000000aa", 5, 0.1, 0.75, gone::get));
        long answered = System.nanoTime();
        leaver.join();
        assertEquals(503, left.status());
        assertTrue(left.getMessage().contains("client left"), left.getMessage());
        Thread.sleep(1500); // the work stops at its next check, a moment later even on a busy machine
        long c0 = workerCpuNanos();
        Thread.sleep(2000);
        double busy = (workerCpuNanos() - c0) / 1e9;
        assertTrue(busy < 0.05, "the worker's CPU seconds in the 2 s after its client left: " + busy);
        long t1 = System.nanoTime();
        assertEquals(1, e.score("names", 1, 1.0).get("context"), "the job's place is free again");
        System.out.printf("count table abandoned %.2f s after it started; names answered in %.2f s%n",
                (answered - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
    }
}
