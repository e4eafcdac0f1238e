package makemore.bench;

import makemore.web.LabOptions;
import makemore.web.LabServer;
import makemore.event.RunEvent;
import makemore.store.RunStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import makemore.store.RunRecord;

/**
 * How streaming costs training: steps/s of one MLP run with no viewer, with 10 viewers, with one and with 50
 * viewers that never read, counted from when the last viewer is connected (the run is already training while they
 * connect, and connecting 50 at once is a one-off cost, not what watching costs); the delay from an event's emission to its arrival at a client (p50/p95); and the
 * process's RSS. Then a load test: 200 run submissions at once while 50 viewers that never read hang on, with
 * submission latency, whether every run was stored, threads and RSS. Loopback only, bounded in time.
 * {@code java -jar makemore-lab.jar bench-server [--steps N]}.
 */
public final class ServerBench {
    private ServerBench() {}

    /** {@code ./lab bench-server}. */
    @picocli.CommandLine.Command(name = "bench-server", mixinStandardHelpOptions = true,
            description = "The lab's server under load: MLP steps/s with 0, 1, 10 and 50 WebSocket viewers (reading"
                    + " and not), event latency, RSS, and 200 runs posted at once.")
    public static final class Command implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Option(names = "--steps", paramLabel = "N", defaultValue = "30000",
                description = "steps of each measured run (default ${DEFAULT-VALUE})")
        int steps;

        @Override
        public Integer call() throws Exception {
            if (steps < 100) {
                throw new makemore.cli.LabCli.UsageException("--steps must be at least 100, got " + steps);
            }
            run(steps);
            return 0;
        }
    }

    static void run(int steps) throws Exception {
        Path dir = Files.createTempDirectory("lab-bench");
        // one evaluation at the end, so wall time is training time; samples stream every tenth
        String config = "{\"model\":\"mlp\",\"steps\":" + steps + ",\"evalEvery\":" + steps + ",\"sampleEvery\":"
                + steps / 10 + "}";
        try (LabServer server = LabServer.start(new LabOptions("127.0.0.1", 0, dir.resolve("b.db").toString(), dir, null))) {
            HttpClient http = HttpClient.newHttpClient();
            System.out.printf(Locale.ROOT, "MLP %d steps (batch 32, hidden 200), samples every %d%n", steps, steps / 10);
            System.out.println("viewers              steps/s   event->client p50 / p95 ms   messages/viewer   RSS MB   connected after ms");
            run(server, http, config, 0, false);
            run(server, http, config, 0, false); // the first one warms the JIT: report both
            run(server, http, config, 10, false);
            run(server, http, config, 1, true);
            run(server, http, config, 50, true);
            run(server, http, config, 0, false); // again: on a shared machine the spread between runs is the noise
            load(server, http, 200, 50);
        }
    }

    /** {@code submissions} small runs posted at once, {@code viewers} never-reading sockets on them. */
    private static void load(LabServer server, HttpClient http, int submissions, int viewers) throws Exception {
        String small = "{\"model\":\"mlp\",\"steps\":300,\"hidden\":16,\"evalEvery\":300,\"sampleEvery\":0}";
        URI runs = URI.create("http://127.0.0.1:" + server.port() + "/api/runs");
        int storedBefore = server.store().list().size();
        double heap0 = heapAfterGcMb();
        double rss0 = rssMb();
        int threads0 = threads();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(submissions);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<long[]>> posts = new ArrayList<>();
        for (int i = 0; i < submissions; i++) {
            posts.add(pool.submit(() -> {
                go.await();
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(runs).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(small)).build(), HttpResponse.BodyHandlers.ofString());
                return new long[] {r.statusCode(), System.nanoTime() - t0};
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        List<Long> latency = new ArrayList<>();
        int created = 0;
        for (var f : posts) {
            long[] r = f.get();
            latency.add(r[1]);
            created += r[0] == 201 ? 1 : 0;
        }
        double submitSec = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        List<RunRecord.Summary> mine = server.store().list().subList(0, created);
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < viewers; i++) { // on the runs that will train last, so they watch the whole load
            String id = mine.get(i % mine.size()).id();
            sockets.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/runs/"
                    + id), JsonMessages.neverReading()).join());
        }
        int threadsLoaded = threads();
        double rssLoaded = rssMb();
        long deadline = System.nanoTime() + 900_000_000_000L;
        long done;
        do {
            Thread.sleep(200);
            done = server.store().list().stream().filter(s -> s.status().terminal()).count() - storedBefore;
        } while (done < created && System.nanoTime() < deadline);
        double allSec = (System.nanoTime() - start) / 1e9;
        server.runs().flush();
        long finished = server.store().list().stream().filter(s -> s.status() == makemore.event.RunStatus.FINISHED)
                .count() - storedBefore;
        for (WebSocket ws : sockets) {
            ws.abort();
        }
        Collections.sort(latency);
        System.out.printf(Locale.ROOT, "%nload: %d run submissions at once, %d viewers that never read%n", submissions,
                viewers);
        System.out.printf(Locale.ROOT, "  accepted %d, submit latency p50 %.0f ms, p95 %.0f ms, max %.0f ms (all in %.2f s)%n",
                created, latency.get(latency.size() / 2) / 1e6, latency.get((int) (latency.size() * 0.95)) / 1e6,
                latency.get(latency.size() - 1) / 1e6, submitSec);
        System.out.printf(Locale.ROOT, "  stored as finished: %d of %d, all trained in %.1f s%n", finished, created, allSec);
        double rssEnd = rssMb();
        System.out.printf(Locale.ROOT, "  threads %d before, %d with the load and viewers; RSS %.0f -> %.0f -> %.0f MB;"
                + " Java heap after GC %.0f -> %.0f MB%n", threads0, threadsLoaded, rss0, rssLoaded, rssEnd, heap0,
                heapAfterGcMb());
    }

    private static double heapAfterGcMb() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024);
    }

    private static int threads() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static void run(LabServer server, HttpClient http, String config, int viewers, boolean neverRead)
            throws Exception {
        long createdAt = System.nanoTime();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/runs")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(config))
                .build(), HttpResponse.BodyHandlers.ofString());
        String id = RunStore.JSON.readTree(created.body()).get("id").asText();
        Map<Long, Long> emitted = new ConcurrentHashMap<>();
        long[] span = new long[3]; // first progress step, its time, time of the last progress
        server.runs().subscribe(id, e -> {
            if (e instanceof RunEvent.Progress) {
                long now = System.nanoTime();
                emitted.putIfAbsent(e.step(), now);
                if (span[1] == 0) {
                    span[0] = e.step();
                    span[1] = now;
                }
                span[2] = now;
            }
        });
        List<Long> delays = new CopyOnWriteArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < viewers; i++) {
            int[] n = {0};
            counts.add(n);
            sockets.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/runs/" + id),
                    neverRead ? JsonMessages.neverReading() : new JsonMessages((m, now) -> {
                        n[0]++;
                        if (m.path("type").asText().equals("progress")) {
                            for (var p : m.get("points")) {
                                Long t = emitted.get(p.get("step").asLong());
                                if (t != null) {
                                    delays.add(now - t);
                                }
                            }
                        }
                    })).join());
        }
        long connected = System.nanoTime(); // steps/s counts from here: connecting is not what viewing costs
        double connectMs = (connected - Math.max(createdAt, span[1])) / 1e6;
        RunRecord r;
        long deadline = System.nanoTime() + 600_000_000_000L;
        do {
            Thread.sleep(100);
            r = server.runs().get(id);
        } while (!r.status().terminal() && System.nanoTime() < deadline);
        for (WebSocket ws : sockets) {
            ws.abort();
        }
        List<Long> d = new ArrayList<>(delays);
        Collections.sort(d);
        String lat = d.isEmpty() ? "        -" : String.format(Locale.ROOT, "%6.1f / %6.1f", d.get(d.size() / 2) / 1e6,
                d.get((int) (d.size() * 0.95)) / 1e6);
        double msgs = counts.stream().mapToInt(c -> c[0]).average().orElse(0);
        String label = neverRead ? viewers + " (never read)" : String.valueOf(viewers);
        long fromStep = span[0];
        long fromTime = span[1];
        for (Map.Entry<Long, Long> e : emitted.entrySet()) {
            if (e.getValue() >= connected && (fromTime < connected || e.getValue() < fromTime)) {
                fromStep = e.getKey();
                fromTime = e.getValue();
            }
        }
        double rate = (r.step() - fromStep) / ((span[2] - fromTime) / 1e9);
        System.out.printf(Locale.ROOT, "%-18s %9.0f   %26s   %15.0f   %6.0f   %s%n", label, rate, lat, msgs, rssMb(),
                viewers == 0 ? "-" : fromTime < connected ? "(ended before all connected)"
                        : String.format(Locale.ROOT, "%.0f", connectMs));
    }

    private static double rssMb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
