package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import makemore.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer health travels like every other event: live on the run's socket, stored with the run, back after restart. */
class LayerHealthServerTest {
    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthIsStreamedStoredAndInTheSnapshot() throws Exception {
        LabOptions options = new LabOptions("127.0.0.1", 0, dir.resolve("lab.db").toString(), dir, null);
        String id;
        try (LabServer server = LabServer.start(options)) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> created = send(base, "POST", "/api/runs",
                    "{\"model\":\"mlp\",\"steps\":600,\"evalEvery\":200,\"sampleEvery\":0,\"hidden\":32}");
            assertEquals(201, created.statusCode(), created.body());
            id = RunStore.JSON.readTree(created.body()).get("id").asText();
            ServerTestBase.Listener l = new ServerTestBase.Listener();
            http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/runs/" + id), l)
                    .join();
            List<Long> steps = new ArrayList<>();
            JsonNode snapshot = l.next();
            JsonNode early = snapshot.get("run").get("health");
            if (!early.isNull()) {
                early.get("series").forEach(h -> steps.add(h.get("step").asLong()));
            }
            while (true) {
                JsonNode m = l.next();
                String type = m.get("type").asText();
                if (type.equals("health")) {
                    steps.add(m.get("step").asLong());
                    assertEquals(2, m.get("layers").size());
                    assertEquals("tanh", m.get("layers").get(1).get("kind").asText());
                    assertEquals(4, m.get("histograms").size());
                    assertEquals(3, m.get("weights").size());
                }
                if (type.equals("status") && !m.get("status").asText().equals("running")) {
                    break;
                }
            }
            assertEquals(List.of(0L, 200L, 400L, 600L), steps);
            waitFor(base, id);
        }
        try (LabServer server = LabServer.start(options)) { // what the store kept
            String base = "http://127.0.0.1:" + server.port();
            JsonNode health = RunStore.JSON.readTree(send(base, "GET", "/api/runs/" + id, null).body()).get("health");
            assertEquals(4, health.get("series").size());
            assertEquals(0, health.get("series").get(3).get("histograms").size(), "the series has no histograms");
            assertEquals(600, health.get("latest").get("step").asLong());
            assertEquals(40, health.get("latest").get("histograms").get(2).get("counts").size());
            double saturated = health.get("latest").get("layers").get(1).get("saturated").asDouble();
            assertTrue(saturated >= 0 && saturated <= 100, "saturated " + saturated);
            assertTrue(health.get("latest").get("weights").get(1).get("updateRatio").asDouble() < 0);
        }
    }

    private HttpResponse<String> send(String base, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void waitFor(String base, String id) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            JsonNode run = RunStore.JSON.readTree(send(base, "GET", "/api/runs/" + id, null).body());
            if (run.get("status").asText().equals("finished") && !run.get("health").isNull()
                    && run.get("health").get("series").size() == 4) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run " + id + " never finished with its health stored");
    }
}
