package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import makemore.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab as its own process, killed mid-run with SIGKILL and with SIGTERM: what had finished stays identical. */
class CrashTest {
    static final String LONG_MLP = "{\"model\":\"mlp\",\"steps\":500000,\"hidden\":16,\"evalEvery\":250000}";

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();

    LabProcess start() throws Exception {
        return LabProcess.start(dir, "-Xmx512m");
    }

    HttpResponse<String> send(LabProcess lab, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lab.port() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode run(LabProcess lab, String id) throws Exception {
        return RunStore.JSON.readTree(send(lab, "GET", "/api/runs/" + id, null).body());
    }

    String create(LabProcess lab, String config) throws Exception {
        HttpResponse<String> r = send(lab, "POST", "/api/runs", config);
        assertEquals(201, r.statusCode(), r.body());
        return RunStore.JSON.readTree(r.body()).get("id").asText();
    }

    void waitUntil(LabProcess lab, String id, java.util.function.Predicate<JsonNode> ok) throws Exception {
        long end = System.currentTimeMillis() + 60_000;
        while (!ok.test(run(lab, id))) {
            assertTrue(System.currentTimeMillis() < end, "run " + id + " never got there: " + run(lab, id));
            Thread.sleep(50);
        }
    }

    @Test
    void killedOrTerminatedMidRunEveryFinishedRunStaysIdentical() throws Exception {
        LabProcess lab = start();
        String done;
        String body;
        try {
            done = create(lab, "{\"model\":\"ngram\",\"context\":2}");
            String small = create(lab, "{\"model\":\"mlp\",\"steps\":600,\"hidden\":16,\"evalEvery\":300}");
            waitUntil(lab, small, r -> r.get("status").asText().equals("finished"));
            Thread.sleep(600); // written through
            body = send(lab, "GET", "/api/runs/" + done, null).body() + send(lab, "GET", "/api/runs/" + small, null).body();
            String killed = create(lab, LONG_MLP);
            waitUntil(lab, killed, r -> r.get("step").asLong() > 500);
            lab.process().destroyForcibly(); // SIGKILL mid-run
            assertTrue(lab.process().waitFor(30, TimeUnit.SECONDS));

            lab = start();
            assertEquals(body, send(lab, "GET", "/api/runs/" + done, null).body()
                    + send(lab, "GET", "/api/runs/" + small, null).body(), "finished runs identical after kill -9");
            assertEquals("interrupted", run(lab, killed).get("status").asText());
            String termed = create(lab, LONG_MLP);
            waitUntil(lab, termed, r -> r.get("step").asLong() > 500);
            lab.process().destroy(); // SIGTERM: the shutdown hook stops the run and stores it
            assertTrue(lab.process().waitFor(60, TimeUnit.SECONDS));

            lab = start();
            assertEquals(body, send(lab, "GET", "/api/runs/" + done, null).body()
                    + send(lab, "GET", "/api/runs/" + small, null).body(), "finished runs identical after SIGTERM");
            JsonNode stopped = run(lab, termed);
            assertEquals("stopped", stopped.get("status").asText(), stopped.toString());
            assertNotNull(stopped.get("bestDev"));
            assertEquals(3, RunStore.JSON.readTree(send(lab, "GET", "/api/runs", null).body()).size() - 1,
                    "four runs, none lost: " + List.of(done, small, killed, termed));
        } finally {
            lab.process().destroyForcibly();
        }
    }
}
