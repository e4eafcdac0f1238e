package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import makemore.store.RunRecord;
import makemore.store.RunStore;
import makemore.store.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PostgreSQL stopped for 10 s while a run trains: the run keeps training, requests that need the database
 * answer 503 saying so (never 500), the live run still answers from memory, and once the server is back every
 * evaluation is stored: none lost.
 */
class DatabaseOutageTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(LabServer s, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return RunStore.JSON.readTree(r.body());
    }

    @Test
    void aRunOutlivesADatabaseOutageAndLosesNoEvaluation(@TempDir Path dir) throws Exception {
        try (TestPostgres pg = TestPostgres.start(dir);
                LabServer s = LabServer.start(new LabOptions("127.0.0.1", 0, pg.url, dir.resolve("lab"), null))) {
            HttpResponse<String> created = send(s, "POST", "/api/runs", "{\"model\":\"mlp\",\"hidden\":16,"
                    + "\"steps\":1000000,\"evalEvery\":10000,\"sampleEvery\":0}"); // far longer than the test: it is stopped
            assertEquals(201, created.statusCode(), created.body());
            String id = json(created).get("id").asText();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (json(send(s, "GET", "/api/runs/" + id, null)).get("evals").size() < 2) {
                assertTrue(System.nanoTime() < deadline, "the first evaluation never came");
                Thread.sleep(20);
            }
            pg.stopServer();
            long stepAtStop = json(send(s, "GET", "/api/runs/" + id, null)).get("step").asLong();
            long outageEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean sawWrite503 = false;
            boolean sawRead503 = false;
            while (System.nanoTime() < outageEnd) {
                HttpResponse<String> list = send(s, "GET", "/api/runs", null);
                assertTrue(list.statusCode() == 200 || list.statusCode() == 503, list.statusCode() + " " + list.body());
                sawRead503 |= list.statusCode() == 503;
                HttpResponse<String> post = send(s, "POST", "/api/runs", "{\"model\":\"ngram\"}");
                assertEquals(503, post.statusCode(), post.body());
                assertTrue(json(post).get("error").asText().contains("database"), post.body());
                sawWrite503 = true;
                HttpResponse<String> live = send(s, "GET", "/api/runs/" + id, null);
                assertEquals(200, live.statusCode(), "a live run answers from memory: " + live.body());
                Thread.sleep(500);
            }
            assertTrue(sawWrite503 && sawRead503);
            JsonNode during = json(send(s, "GET", "/api/runs/" + id, null));
            assertEquals("running", during.get("status").asText(), "it kept training: " + during.get("message"));
            assertTrue(during.get("step").asLong() > stepAtStop + 10000, "steps went on: " + stepAtStop + " -> "
                    + during.get("step").asLong());
            pg.startServer();
            send(s, "POST", "/api/runs/" + id + "/stop", null);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            JsonNode end = null;
            while (System.nanoTime() < deadline) {
                HttpResponse<String> r = send(s, "GET", "/api/runs/" + id, null);
                if (r.statusCode() == 200 && json(r).get("status").asText().equals("stopped")) {
                    end = json(r);
                    break;
                }
                Thread.sleep(50);
            }
            assertTrue(end != null, "the run ended as stopped, stored once the database was back");
            s.runs().flush();
            try (RunStore direct = new RunStore(pg.url)) {
                RunRecord stored = direct.get(id).orElseThrow();
                assertEquals("stopped", stored.status().label());
                TreeSet<Long> devSteps = new TreeSet<>();
                stored.evals().stream().filter(e -> e.split().equals("dev")).forEach(e -> devSteps.add(e.step()));
                long last = stored.step();
                for (long step = 10000; step <= last - last % 10000; step += 10000) {
                    assertTrue(devSteps.contains(step), "dev evaluation at step " + step + " is stored: " + devSteps);
                }
                assertTrue(devSteps.size() >= 3, "evaluations before, during and after the outage: " + devSteps);
            }
        }
    }
}
