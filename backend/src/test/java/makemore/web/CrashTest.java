package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import makemore.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab as its own process, killed mid-run with SIGKILL and with SIGTERM: what had finished stays identical. */
class CrashTest {
    static final String LONG_MLP = "{\"model\":\"mlp\",\"steps\":500000,\"hidden\":16,\"evalEvery\":250000}";

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();

    record Lab(Process process, int port) {}

    Lab start() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "makemore.App",
                "--port", "0", "--db", dir.resolve("lab.db").toString(), "--data-dir", dir.toString());
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern url = Pattern.compile("Makemore Lab: http://127\\.0\\.0\\.1:(\\d+)/");
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = url.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "drain");
                drain.setDaemon(true);
                drain.start();
                return new Lab(p, Integer.parseInt(m.group(1)));
            }
        }
        throw new AssertionError("the lab did not start; exit " + p.waitFor());
    }

    HttpResponse<String> send(Lab lab, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lab.port() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode run(Lab lab, String id) throws Exception {
        return RunStore.JSON.readTree(send(lab, "GET", "/api/runs/" + id, null).body());
    }

    String create(Lab lab, String config) throws Exception {
        HttpResponse<String> r = send(lab, "POST", "/api/runs", config);
        assertEquals(201, r.statusCode(), r.body());
        return RunStore.JSON.readTree(r.body()).get("id").asText();
    }

    void waitUntil(Lab lab, String id, java.util.function.Predicate<JsonNode> ok) throws Exception {
        long end = System.currentTimeMillis() + 60_000;
        while (!ok.test(run(lab, id))) {
            assertTrue(System.currentTimeMillis() < end, "run " + id + " never got there: " + run(lab, id));
            Thread.sleep(50);
        }
    }

    @Test
    void killedOrTerminatedMidRunEveryFinishedRunStaysIdentical() throws Exception {
        Lab lab = start();
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
