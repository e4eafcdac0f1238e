package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Heavy GETs that their clients abandon leave nothing computing: the comparison's worker is idle a moment later.
 * (The worker's own CPU time is measured, so other work in this test JVM cannot blur it.)
 */
class AbandonedJobTest extends ServerTestBase {
    private static long cpuNanos() {
        var mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("job-smoothing")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return sum;
    }

    @Test
    void threeAbandonedHeavyRequestsLeaveTheCpuIdle() throws Exception {
        String heavy = "GET /api/experiments/smoothing-l2?context=3&steps=2000&points=41 HTTP/1.1\r\nHost: 127.0.0.1:"
                + server.port() + "\r\n\r\n";
        List<Socket> sockets = new ArrayList<>();
        long busy0 = cpuNanos();
        for (int i = 0; i < 3; i++) { // as three <img src> tags on another page would, if their site were allowed
            Socket s = new Socket("127.0.0.1", server.port());
            OutputStream out = s.getOutputStream();
            out.write(heavy.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sockets.add(s);
        }
        Thread.sleep(1500);
        long busy = cpuNanos() - busy0;
        assertTrue(busy > 50_000_000L, "the comparison was computing: " + busy / 1e6 + " ms of CPU in 1.5 s");
        for (Socket s : sockets) {
            s.close(); // the pages closed
        }
        Thread.sleep(1500); // stopped within a second of the client leaving
        long t0 = cpuNanos();
        Thread.sleep(3000);
        double idle = (cpuNanos() - t0) / 1e9;
        assertTrue(idle < 0.1, "the comparison's CPU seconds in the 3 s after: " + idle);
        // the job's place is free again: a small comparison is computed and answered
        var small = send("GET", "/api/experiments/smoothing-l2?context=1&steps=5&points=2", null);
        assertEquals(200, small.statusCode(), small.body());
    }
}
