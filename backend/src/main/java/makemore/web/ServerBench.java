package makemore.web;

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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import makemore.store.RunRecord;
import makemore.store.RunStore;
import makemore.train.RunEvent;

/**
 * How streaming costs training: steps/s of one MLP run with no viewer, with 10 viewers, and with one viewer that
 * never reads; the delay from an event's emission to its arrival at a client (p50/p95); and the process's RSS.
 * Loopback only, bounded in time. {@code java -jar makemore-lab.jar bench-server [--steps N]}.
 */
public final class ServerBench {
    private ServerBench() {}

    public static void main(String[] args) throws Exception {
        int steps = args.length == 2 && args[0].equals("--steps") ? Integer.parseInt(args[1]) : 30000;
        Path dir = Files.createTempDirectory("lab-bench");
        // one evaluation at the end, so wall time is training time; samples stream every tenth
        String config = "{\"model\":\"mlp\",\"steps\":" + steps + ",\"evalEvery\":" + steps + ",\"sampleEvery\":"
                + steps / 10 + "}";
        try (LabServer server = LabServer.start(new LabOptions("127.0.0.1", 0, dir.resolve("b.db").toString(), dir, null))) {
            HttpClient http = HttpClient.newHttpClient();
            System.out.printf(Locale.ROOT, "MLP %d steps (batch 32, hidden 200), samples every %d%n", steps, steps / 10);
            System.out.println("viewers              steps/s   event->client p50 / p95 ms   messages/viewer   RSS MB");
            run(server, http, config, 0, false);
            run(server, http, config, 0, false); // the first one warms the JIT: report both
            run(server, http, config, 10, false);
            run(server, http, config, 1, true);
        }
    }

    private static void run(LabServer server, HttpClient http, String config, int viewers, boolean neverRead)
            throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/runs")).POST(HttpRequest.BodyPublishers.ofString(config)).build(), HttpResponse.BodyHandlers.ofString());
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
                    new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public void onOpen(WebSocket ws) {
                            if (!neverRead) {
                                ws.request(1);
                            }
                        }

                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                long now = System.nanoTime();
                                n[0]++;
                                try {
                                    var m = RunStore.JSON.readTree(text.toString());
                                    if (m.path("type").asText().equals("progress")) {
                                        for (var p : m.get("points")) {
                                            Long t = emitted.get(p.get("step").asLong());
                                            if (t != null) {
                                                delays.add(now - t);
                                            }
                                        }
                                    }
                                } catch (Exception ignored) {
                                    // only timing matters here
                                }
                                text.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }
                    }).join());
        }
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
        String label = neverRead ? "1 (never reads)" : String.valueOf(viewers);
        double rate = (r.step() - span[0]) / ((span[2] - span[1]) / 1e9);
        System.out.printf(Locale.ROOT, "%-18s %9.0f   %26s   %15.0f   %6.0f%n", label, rate, lat, msgs, rssMb());
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
