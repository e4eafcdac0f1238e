package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import makemore.store.RunStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A lab on a free port over a temp folder, started before each test, and the HTTP helpers server tests share. */
abstract class ServerTestBase {
    @TempDir
    Path dir;
    LabServer server;
    final HttpClient http = HttpClient.newHttpClient();

    /** The lab over {@link #dir}; a test class may add routes. Also how a test restarts it on the same folder. */
    LabServer newServer() {
        return LabServer.start(new LabOptions("127.0.0.1", 0, dir.resolve("lab.db").toString(), dir, null));
    }

    @BeforeEach
    void start() {
        server = newServer();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A request as the page makes it: JSON bodies say so, dataset uploads are octet-stream. */
    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", path.startsWith("/api/datasets") ? "application/octet-stream" : "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return RunStore.JSON.readTree(r.body());
    }

    String createRun(String config) throws Exception {
        HttpResponse<String> r = send("POST", "/api/runs", config);
        assertEquals(201, r.statusCode(), r.body());
        return json(r).get("id").asText();
    }

    JsonNode waitFor(String id, String status) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode run = null;
        while (System.nanoTime() < end) {
            run = json(send("GET", "/api/runs/" + id, null));
            if (run.path("status").asText().equals(status)) {
                return run;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("run " + id + " never became " + status + ": " + run);
    }

    /** A viewer of run {@code id}'s socket. */
    WebSocket connect(String id, Listener l) {
        return http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/runs/" + id), l)
                .join();
    }

    /** A WebSocket client that keeps every message, parsed. */
    static final class Listener implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(RunStore.JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.complete(code);
            return null;
        }

        JsonNode next() throws InterruptedException {
            JsonNode m = messages.poll(30, TimeUnit.SECONDS);
            assertNotNull(m, "no message within 30 s");
            return m;
        }

        JsonNode nextOfType(String type) throws InterruptedException {
            while (true) {
                JsonNode m = next();
                if (m.get("type").asText().equals(type)) {
                    return m;
                }
            }
        }
    }
}
