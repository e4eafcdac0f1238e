package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bounds API.md states for the transport, each tried just inside and just outside through real sockets: a
 * body's rate, URL and header sizes, bodies read at once, a WebSocket message's size and a viewer's backlog.
 */
class TransportLimitsTest extends ServerTestBase {
    private String head(String method, String path, String extra, long length) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n" + extra
                + (length >= 0 ? "Content-Type: application/json\r\nContent-Length: " + length + "\r\n" : "") + "\r\n";
    }

    /** Sends a JSON body of {@code size} bytes at {@code bytesPerSec}; true when the server cut the connection. */
    private boolean sendsAt(int size, int bytesPerSec) throws Exception {
        byte[] body = ("{\"model\":\"ngram\"" + " ".repeat(size - 17) + "}").getBytes(StandardCharsets.US_ASCII);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(head("POST", "/api/runs", "", body.length).getBytes(StandardCharsets.US_ASCII));
            int chunk = bytesPerSec / 10;
            try {
                for (int at = 0; at < body.length; at += chunk) {
                    out.write(body, at, Math.min(chunk, body.length - at));
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (java.io.IOException cut) {
                return true;
            }
            s.setSoTimeout(10_000);
            String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return !answer.startsWith("HTTP/1.1");
        }
    }

    @Test
    void aBodyBelowTheMinimumRateIsCutAndOneAboveItIsRead() throws Exception {
        // 16 KB/s on average after 3 s: 32 KB/s is read whole; 4 KB/s falls behind at 4 s and is cut
        assertTrue(!sendsAt(150_000, 32 * 1024), "a body at twice the minimum rate is read and answered");
        long t0 = System.nanoTime();
        assertTrue(sendsAt(60_000, 4 * 1024), "a body at a quarter of the minimum rate is cut off");
        double sec = (System.nanoTime() - t0) / 1e9;
        assertTrue(sec < 8, "cut within a second of falling behind (at 4 s): " + sec + " s");
    }

    @Test
    void jsonBodiesUpTo256KbAnd1000LevelsAreReadAndLargerOrDeeperRefused() throws Exception {
        String start = "{\"model\":\"ngram\",\"dataset\":\"";
        String at = start + "x".repeat(Bodies.MAX_JSON - start.length() - 2) + "\"}";
        assertEquals(Bodies.MAX_JSON, at.length());
        HttpResponse<String> r = send("POST", "/api/runs", at);
        assertEquals(400, r.statusCode(), "256 KB is read, and its dataset name refused");
        assertEquals("dataset", json(r).get("field").asText(), r.body());
        r = send("POST", "/api/runs", at.replace("\"}", "x\"}"));
        assertEquals(413, r.statusCode(), "one byte more is over the limit");
        // Jackson's nesting bound, 1,000 levels: at the bound the config is read (and its extra field named)
        String deep = "{\"model\":\"ngram\",\"extra\":" + "[".repeat(999) + "]".repeat(999) + "}";
        r = send("POST", "/api/runs", deep);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(json(r).get("error").asText().contains("extra"), "read, and the unknown field named: " + r.body());
        r = send("POST", "/api/runs", "{\"model\":\"ngram\",\"extra\":" + "[".repeat(1000) + "]".repeat(1000) + "}");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(json(r).get("error").asText().contains("nested too deeply"), r.body());
        assertEquals(0, json(send("GET", "/api/runs", null)).size(), "nothing was created");
    }

    @Test
    void urlAndHeadersUpTo8KbAreReadAndLargerAreRefused() throws Exception {
        RawHttp.Response r = RawHttp.send(server.port(), head("GET", "/api/" + "x".repeat(7_900), "", -1), out -> { });
        assertEquals(404, r.status(), "a URL just under 8 KB is read (and names nothing)");
        r = RawHttp.send(server.port(), head("GET", "/api/" + "x".repeat(8_200), "", -1), out -> { });
        assertEquals(414, r.status());
        r = RawHttp.send(server.port(), head("GET", "/api/runs", "X-Pad: " + "p".repeat(7_900) + "\r\n", -1), out -> { });
        assertEquals(200, r.status(), "headers just under 8 KB are read");
        r = RawHttp.send(server.port(), head("GET", "/api/runs", "X-Pad: " + "p".repeat(8_200) + "\r\n", -1), out -> { });
        assertEquals(431, r.status());
        assertTrue(r.body().contains("\"error\""), r.body());
    }

    @Test
    void bodiesPastTheReadersBoundWaitThenGet503() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < LabServer.BODY_READERS; i++) { // each holds a reader: its body has barely started
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write((head("POST", "/api/runs", "", 1000) + "{").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            Thread.sleep(500);
            HttpResponse<String> r = send("POST", "/api/runs", "{\"model\":\"ngram\"}");
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(json(r).get("error").asText().contains("too many requests are sending bodies"), r.body());
            slow.remove(0).close(); // one reader frees up
            Thread.sleep(300);
            assertEquals(201, send("POST", "/api/runs", "{\"model\":\"ngram\"}").statusCode(),
                    "with one place free the next body is read");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void aWebSocketMessageOf4KbIsReadAndOneByteMoreClosesTheSocket() throws Exception {
        String id = createRun("{\"model\":\"ngram\"}");
        waitFor(id, "finished");
        String msg = "{\"type\":\"set\",\"lr\":0.1}";
        Listener l = new Listener();
        WebSocket ws = connect(id, l);
        l.nextOfType("snapshot");
        ws.sendText(msg.substring(0, msg.length() - 1) + " ".repeat(4096 - msg.length()) + "}", true).join();
        assertTrue(l.nextOfType("error").get("error").asText().contains("only change while the run trains"),
                "a 4,096-byte message is read and answered");
        ws.sendText(msg.substring(0, msg.length() - 1) + " ".repeat(4097 - msg.length()) + "}", true);
        assertEquals(1009, l.closed.get(10, TimeUnit.SECONDS), "4,097 bytes: closed as too big");
    }

    /** The close code in the frames a raw WebSocket client finally reads, or -1 if the server sent no close. */
    private static int closeCode(byte[] b) {
        int at = 0;
        while (at + 2 <= b.length) {
            int op = b[at] & 0x0f;
            long len = b[at + 1] & 0x7f;
            int p = at + 2;
            if (len == 126) {
                len = ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
                p += 2;
            } else if (len == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = len << 8 | (b[p + i] & 0xff);
                }
                p += 8;
            }
            if (op == 8 && len >= 2 && p + 2 <= b.length) {
                return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
            }
            at = (int) (p + len);
        }
        return -1;
    }

    @Test
    void aViewerThatFallsTooFarBehindIsClosedWith1008() throws Exception {
        // a tiny dataset makes evaluations nearly free: 1,000 of them, each with its samples, embedding and layer
        // health, are far more events than the socket holds for a viewer that reads nothing
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            words.append("w").append((char) ('a' + i % 26)).append((char) ('a' + i / 26)).append('\n');
        }
        HttpResponse<String> up = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base()
                + "/api/datasets?name=tiny.txt")).header("Content-Type", "application/octet-stream")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(words.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, up.statusCode(), up.body());
        String dataset = json(up).get("id").asText();
        String id = createRun("{\"model\":\"mlp\",\"dataset\":\"" + dataset + "\",\"steps\":4000,\"evalEvery\":4}");
        try (Socket viewer = new Socket()) {
            viewer.setReceiveBufferSize(2048); // a viewer that reads nothing: the kernel holds little for it
            viewer.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            byte[] key = new byte[16];
            new java.util.Random(1).nextBytes(key);
            viewer.getOutputStream().write(("GET /ws/runs/" + id + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = viewer.getInputStream();
            StringBuilder handshake = new StringBuilder();
            for (int c; !handshake.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0; ) {
                handshake.append((char) c);
            }
            assertTrue(handshake.toString().startsWith("HTTP/1.1 101"), handshake.toString());
            Listener reading = new Listener(); // a page that keeps reading
            connect(id, reading);
            JsonNode done = waitFor(id, "finished");
            Thread.sleep(500);
            viewer.setSoTimeout(2000);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[65536];
            long until = System.nanoTime() + 20_000_000_000L;
            try {
                for (int n; System.nanoTime() < until && (n = in.read(buf)) >= 0; ) {
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException stillOpenOrReset) {
                // nothing more comes
            }
            assertEquals(1008, closeCode(got.toByteArray()), "read " + got.size() + " bytes; the run " + done);
            assertTrue(!reading.closed.isDone(), "the reading page stays connected");
        }
    }
}
