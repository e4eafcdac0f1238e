package makemore.bench;

import makemore.lab.TrainingRun;
import makemore.web.LabOptions;
import makemore.web.LabServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import makemore.data.Corpus;
import makemore.store.RunStore;
import makemore.sweep.SweepDefinition;

/**
 * What a sweep costs beyond its runs: a 20-point smoothing sweep of the count trigram through the server as the
 * page drives it (POST /api/sweeps, then /ws/sweeps/{id} until every point has arrived finished), against the
 * same 20 runs trained back to back in-process with nothing stored. Overhead per point = (end to end - runs) / 20.
 * {@code java -jar makemore-lab.jar bench-sweep [--points N]}.
 */
public final class SweepBench {
    private SweepBench() {}

    static final String SWEEP = "{\"base\":{\"model\":\"ngram\",\"context\":2},\"params\":[{\"field\":\"smoothing\","
            + "\"range\":{\"lo\":0.001,\"hi\":100,\"points\":%d,\"scale\":\"log\"}}]}";

    /** {@code ./lab bench-sweep}. */
    @picocli.CommandLine.Command(name = "bench-sweep", mixinStandardHelpOptions = true,
            description = "A smoothing sweep end to end through the server against its runs alone, and an MLP"
                    + " sweep's trainer occupancy and point latency.")
    public static final class Command implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.Option(names = "--points", paramLabel = "N", defaultValue = "20",
                description = "points of the smoothing sweep (default ${DEFAULT-VALUE})")
        int points;

        @Override
        public Integer call() throws Exception {
            if (points < 1 || points > makemore.config.Limits.SWEEP_RUNS) {
                throw new makemore.cli.LabCli.UsageException("--points must be in [1, "
                        + makemore.config.Limits.SWEEP_RUNS + "], got " + points);
            }
            run(points);
            return 0;
        }
    }

    static void run(int n) throws Exception {
        Path dir = Files.createTempDirectory("lab-sweep-bench");
        String body = String.format(Locale.ROOT, SWEEP, n);
        try (LabServer server = LabServer.start(new LabOptions("127.0.0.1", 0, dir.resolve("b.db").toString(), dir, null))) {
            HttpClient http = HttpClient.newHttpClient();
            System.out.printf(Locale.ROOT, "%d-point smoothing sweep of the count trigram (names), %d trainer(s)%n", n,
                    makemore.lab.RunService.defaultConcurrency());
            double cold = endToEnd(server, http, body, n);
            double warm1 = endToEnd(server, http, body, n);
            double warm2 = endToEnd(server, http, body, n);
            double warm = Math.min(warm1, warm2);
            double runs = Math.min(runsOnly(server, body), runsOnly(server, body));
            System.out.printf(Locale.ROOT, "end to end, first sweep (counts taken once): %.0f ms%n", cold);
            System.out.printf(Locale.ROOT, "end to end, counts cached: %.0f ms and %.0f ms%n", warm1, warm2);
            System.out.printf(Locale.ROOT, "the %d runs alone, in-process, nothing stored: %.0f ms%n", n, runs);
            System.out.printf(Locale.ROOT, "overhead per point (best end to end - runs) / %d: %.1f ms%n", n,
                    (warm - runs) / n);
            mlp(server, http);
        }
    }

    /**
     * An MLP sweep of twice as many points as trainers: how busy the trainers stay (summed run time over trainers
     * x wall time) and how soon a finished point reaches a sweep viewer (server's status event to client).
     */
    private static void mlp(LabServer server, HttpClient http) throws Exception {
        int trainers = makemore.lab.RunService.defaultConcurrency();
        int n = 2 * trainers;
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < n; i++) {
            values.append(i == 0 ? "" : ",").append(42 + i);
        }
        String body = "{\"base\":{\"model\":\"mlp\",\"hidden\":64,\"steps\":4000,\"evalEvery\":1000},\"params\":"
                + "[{\"field\":\"seed\",\"values\":[" + values + "]}]}";
        HttpResponse<String> r = postSweep(server, http, body);
        String id = RunStore.JSON.readTree(r.body()).get("id").asText();
        Map<Integer, Long> started = new ConcurrentHashMap<>();
        Map<Integer, Long> ended = new ConcurrentHashMap<>();
        Map<Integer, Long> arrived = new ConcurrentHashMap<>();
        JsonNode view = RunStore.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/api/sweeps/" + id)).build(), HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode p : view.get("points")) {
            int index = p.get("index").asInt();
            server.runs().subscribe(p.get("run").asText(), e -> {
                if (e instanceof makemore.event.RunEvent.Status st) {
                    (st.status().terminal() ? ended : started).putIfAbsent(index, System.nanoTime());
                }
            });
        }
        CountDownLatch all = new CountDownLatch(1);
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port()
                + "/ws/sweeps/" + id), new JsonMessages((m, now) -> {
                    if (m.get("type").asText().equals("point")
                            && m.get("point").get("status").asText().equals("finished")) {
                        arrived.putIfAbsent(m.get("point").get("index").asInt(), now);
                    }
                    if (arrived.size() == n) {
                        all.countDown();
                    }
                })).join();
        if (!all.await(600, TimeUnit.SECONDS)) {
            throw new IllegalStateException("MLP sweep " + id + " did not finish");
        }
        ws.abort();
        long first = started.values().stream().min(Long::compare).orElseThrow();
        long last = ended.values().stream().max(Long::compare).orElseThrow();
        double busy = 0;
        double worst = 0;
        java.util.List<Double> lat = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            busy += ended.get(i) - started.get(i);
            double ms = (arrived.get(i) - ended.get(i)) / 1e6;
            lat.add(ms);
            worst = Math.max(worst, ms);
        }
        java.util.Collections.sort(lat);
        System.out.printf(Locale.ROOT, "MLP sweep, %d points (hidden 64, 4000 steps) on %d trainer(s): trainers busy"
                + " %.1f%% of %.1f s%n", n, trainers, 100 * busy / (trainers * (double) (last - first)),
                (last - first) / 1e9);
        System.out.printf(Locale.ROOT, "point finished (server) -> sweep viewer: median %.1f ms, max %.1f ms%n",
                lat.get(lat.size() / 2), worst);
    }

    /** Milliseconds from POST /api/sweeps to the last point arriving finished on the sweep's WebSocket. */
    private static double endToEnd(LabServer server, HttpClient http, String body, int n) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = postSweep(server, http, body);
        if (r.statusCode() != 201) {
            throw new IllegalStateException(r.body());
        }
        String id = RunStore.JSON.readTree(r.body()).get("id").asText();
        Map<Integer, Boolean> finished = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(1);
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port()
                + "/ws/sweeps/" + id), new JsonMessages((m, now) -> {
                    if (m.get("type").asText().equals("snapshot")) {
                        m.get("sweep").get("points").forEach(p -> seen(p, finished));
                    } else if (m.get("type").asText().equals("point")) {
                        seen(m.get("point"), finished);
                    }
                    if (finished.size() == n) {
                        all.countDown();
                    }
                })).join();
        if (!all.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("sweep " + id + " did not finish");
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        ws.abort();
        return ms;
    }

    private static HttpResponse<String> postSweep(LabServer server, HttpClient http, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/sweeps"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void seen(JsonNode p, Map<Integer, Boolean> finished) {
        if (p.get("status").asText().equals("finished")) {
            finished.put(p.get("index").asInt(), true);
        }
    }

    /** The same runs (counts cached), trained one after another with a listener that drops every event. */
    private static double runsOnly(LabServer server, String body) {
        var points = SweepDefinition.parse(body).expand();
        Corpus corpus = server.runs().corpus("names");
        long t0 = System.nanoTime();
        for (var p : points) {
            TrainingRun.of(p.config(), corpus).run();
        }
        return (System.nanoTime() - t0) / 1e6;
    }
}
