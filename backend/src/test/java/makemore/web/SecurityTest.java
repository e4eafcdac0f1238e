package makemore.web;

import makemore.store.RunStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import makemore.data.Dataset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each attack a web page or a hostile client can make on a lab at 127.0.0.1, refused, and nothing created. */
class SecurityTest {
    static final String NGRAM = "{\"model\":\"ngram\"}";

    @TempDir
    Path dir;
    LabServer server;

    @BeforeEach
    void start() {
        server = LabServer.start(new LabOptions("127.0.0.1", 0, dir.resolve("lab.db").toString(), dir, null, null,
                List.of("http://allowed.example:8000")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    int port() {
        return server.port();
    }

    String self() {
        return "127.0.0.1:" + port();
    }

    RawHttp.Response request(String method, String path, String host, String extraHeaders, String body)
            throws Exception {
        byte[] b = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders
                + (body == null ? "" : "Content-Length: " + b.length + "\r\n") + "Connection: close\r\n\r\n";
        return RawHttp.send(port(), head, body == null ? null : out -> out.write(b));
    }

    JsonNode json(RawHttp.Response r) throws Exception {
        return RunStore.JSON.readTree(r.body());
    }

    int runCount() throws Exception {
        return json(request("GET", "/api/runs", self(), "", null)).size();
    }

    int datasetCount() throws Exception {
        return json(request("GET", "/api/datasets", self(), "", null)).size();
    }

    @Test
    void foreignOriginsCannotStartRunsWithTextPlainOrJson() throws Exception {
        RawHttp.Response r = request("POST", "/api/runs", self(),
                "Origin: http://evil.example\r\nContent-Type: text/plain\r\n", NGRAM);
        assertEquals(403, r.status(), r.body());
        assertTrue(json(r).get("error").asText().contains("Origin"), r.body());
        r = request("POST", "/api/runs", self(), "Origin: http://evil.example\r\nContent-Type: application/json\r\n",
                NGRAM);
        assertEquals(403, r.status(), r.body());
        // a page on another port of the same machine is another origin
        r = request("POST", "/api/runs", self(), "Origin: http://127.0.0.1:1\r\nContent-Type: application/json\r\n",
                NGRAM);
        assertEquals(403, r.status(), r.body());
        r = request("POST", "/api/runs", self(), "Origin: null\r\nContent-Type: application/json\r\n", NGRAM);
        assertEquals(403, r.status(), r.body());
        // a browser that sends only Sec-Fetch-Site says where it comes from
        r = request("POST", "/api/runs", self(), "Sec-Fetch-Site: cross-site\r\nContent-Type: application/json\r\n",
                NGRAM);
        assertEquals(403, r.status(), r.body());
        r = request("DELETE", "/api/runs/abc", self(), "Origin: http://evil.example\r\n", null);
        assertEquals(403, r.status(), r.body());
        // an upload from another page
        r = request("POST", "/api/datasets?name=x.txt", self(),
                "Origin: http://evil.example\r\nContent-Type: application/octet-stream\r\n", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n");
        assertEquals(403, r.status(), r.body());
        assertEquals(0, runCount());
        assertEquals(1, datasetCount(), "only the built-in names");
        // the lab's own page, and an origin allowed by --allow-origin, may
        r = request("POST", "/api/runs", self(), "Origin: http://" + self()
                + "\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/json\r\n", NGRAM);
        assertEquals(201, r.status(), r.body());
        r = request("POST", "/api/runs", self(), "Origin: http://allowed.example:8000\r\nSec-Fetch-Site: cross-site\r\n"
                + "Content-Type: application/json; charset=utf-8\r\n", NGRAM);
        assertEquals(201, r.status(), r.body());
        assertEquals(2, runCount());
    }

    @Test
    void foreignHostNamesAreRefusedForReadsAndWrites() throws Exception {
        RawHttp.Response r = request("GET", "/api/runs", "evil.example:" + port(), "", null);
        assertEquals(421, r.status(), r.body());
        assertTrue(json(r).get("error").asText().contains("Host"), r.body());
        assertEquals(421, request("GET", "/", "evil.example:" + port(), "", null).status());
        assertEquals(421, request("GET", "/api/runs", "127.0.0.1:1", "", null).status(), "wrong port");
        assertEquals(421, request("GET", "/api/runs", "127.0.0.1", "", null).status(), "port 80 implied");
        assertEquals(421, request("POST", "/api/runs", "evil.example:" + port(), "Content-Type: application/json\r\n",
                NGRAM).status());
        assertEquals(0, runCount());
        for (String host : List.of(self(), "localhost:" + port(), "LOCALHOST:" + port())) {
            assertEquals(200, request("GET", "/api/runs", host, "", null).status(), host);
        }
        // the WebSocket upgrade: same rule
        String upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n";
        String id = json(request("POST", "/api/runs", self(), "Content-Type: application/json\r\n", NGRAM)).get("id")
                .asText();
        RawHttp.Response ws = RawHttp.send(port(), "GET /ws/runs/" + id + " HTTP/1.1\r\nHost: evil.example:" + port()
                + "\r\n" + upgrade + "\r\n", null);
        assertEquals(421, ws.status());
        ws = RawHttp.send(port(), "GET /ws/runs/" + id + " HTTP/1.1\r\nHost: " + self() + "\r\nOrigin: http://evil.example\r\n"
                + upgrade + "\r\n", null);
        assertEquals(403, ws.status());
    }

    @Test
    void bodiesMustSayTheyAreJsonOrUploads() throws Exception {
        assertEquals(415, request("POST", "/api/runs", self(), "", NGRAM).status(), "no content type");
        assertEquals(415, request("POST", "/api/runs", self(), "Content-Type: text/plain\r\n", NGRAM).status());
        assertEquals(415, request("POST", "/api/runs", self(), "Content-Type: application/x-www-form-urlencoded\r\n",
                "model=ngram").status());
        RawHttp.Response r = request("POST", "/api/datasets?name=a.txt", self(), "Content-Type: text/plain\r\n",
                "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n");
        assertEquals(415, r.status(), r.body());
        assertTrue(json(r).get("error").asText().contains("multipart"), r.body());
        assertEquals(415, request("POST", "/api/datasets?name=a.txt", self(), "", "a\nb\n").status());
        assertEquals(0, runCount());
        assertEquals(1, datasetCount());
        // bodyless writes (stop, test, delete) need no type
        assertEquals(404, request("POST", "/api/runs/nosuchrun/stop", self(), "", null).status());
    }

    /** Bytes allocated by every thread but this one: an upper bound on how much the server's heap can grow. */
    static long allocatedElsewhere() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().getId();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            if (id != me) {
                long a = mx.getThreadAllocatedBytes(id);
                sum += Math.max(0, a);
            }
        }
        return sum;
    }

    @Test
    void overSizeChunkedUploadsStopAtTheLimitWithoutFillingTheHeap() throws Exception {
        long total = 3 * Dataset.MAX_BYTES; // 96 MB, sent chunked so no length is declared
        for (boolean multipart : List.of(false, true)) {
            String type = multipart ? "multipart/form-data; boundary=XyZzy" : "application/octet-stream";
            String prefix = multipart ? "--XyZzy\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
                    + "Content-Type: text/plain\r\n\r\n" : "";
            long before = allocatedElsewhere();
            RawHttp.Response r = RawHttp.send(port(), "POST /api/datasets?name=big.txt HTTP/1.1\r\nHost: " + self()
                    + "\r\nContent-Type: " + type + "\r\nTransfer-Encoding: chunked\r\n\r\n", RawHttp.chunked(prefix, total));
            long grew = allocatedElsewhere() - before;
            assertEquals(413, r.status(), r.body());
            assertTrue(json(r).get("error").asText().contains("32 MB"), r.body());
            assertTrue(grew < Dataset.MAX_BYTES / 2, "the server allocated " + grew / 1024 + " KB while refusing a "
                    + total / (1024 * 1024) + " MB upload (limit " + Dataset.MAX_BYTES / (1024 * 1024) + " MB)");
        }
        // a declared length over the limit is refused before a byte is read
        RawHttp.Response r = RawHttp.send(port(), "POST /api/datasets?name=big.txt HTTP/1.1\r\nHost: " + self()
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 2500000000\r\n\r\n",
                out -> out.write(new byte[4096])); // Jetty hands a request over once its body starts
        assertEquals(413, r.status());
        assertEquals(1, datasetCount());
        try (Stream<Path> left = Files.list(dir.resolve("datasets"))) {
            assertEquals(List.of(), left.toList(), "no spool or temp files stay behind");
        }
        // JSON bodies have their own, smaller limit
        String big = "{\"model\":\"ngram\",\"dataset\":\"" + "x".repeat(Bodies.MAX_JSON) + "\"}";
        assertEquals(413, request("POST", "/api/runs", self(), "Content-Type: application/json\r\n", big).status());
        r = RawHttp.send(port(), "POST /api/runs HTTP/1.1\r\nHost: " + self()
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", RawHttp.chunked(4L << 20));
        assertEquals(413, r.status());
        assertEquals(0, runCount());
    }

    @Test
    void aMultipartUploadWithinTheLimitWorks() throws Exception {
        String body = "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pets.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nrex\nfido\nbella\nmax\nluna\ncharlie\nlucy\ncooper\ndaisy\nbo\n\r\n--b0undary--\r\n";
        RawHttp.Response r = request("POST", "/api/datasets", self(), "Content-Type: multipart/form-data; boundary=b0undary\r\n",
                body);
        assertEquals(201, r.status(), r.body());
        assertEquals("pets.txt", json(r).get("name").asText());
        assertEquals(10, json(r).get("items").asInt());
    }

    @Test
    void deepOrMalformedJsonIsA400NotACrash() throws Exception {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        for (String body : List.of(deep, "{\"model\":" + deep + "}", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000))) {
            RawHttp.Response r = request("POST", "/api/runs", self(), "Content-Type: application/json\r\n", body);
            assertEquals(400, r.status(), r.body());
            assertTrue(json(r).has("field"), r.body());
        }
        for (String body : List.of("{\"model\":\"ngram\"} trailing", "{\"model\":\"ngram\",\"model\":\"mlp\"}", "", "null",
                "[]", "\"mlp\"")) {
            RawHttp.Response r = request("POST", "/api/runs", self(), "Content-Type: application/json\r\n", body);
            assertEquals(400, r.status(), body + " -> " + r.body());
        }
        String id = json(request("POST", "/api/runs", self(), "Content-Type: application/json\r\n", NGRAM)).get("id").asText();
        RawHttp.Response r = request("POST", "/api/runs/" + id + "/samples", self(), "Content-Type: application/json\r\n",
                "{\"n\":" + deep + "}");
        assertEquals(400, r.status(), r.body());
        assertEquals(1, runCount());
    }

    @Test
    void aTokenIsNeededWhenConfigured() throws Exception {
        server.close();
        server = LabServer.start(new LabOptions("127.0.0.1", 0, dir.resolve("lab.db").toString(), dir, null,
                "s3cret-token-0123456789", List.of()));
        RawHttp.Response r = request("GET", "/api/runs", self(), "", null);
        assertEquals(401, r.status());
        assertTrue(json(r).get("error").asText().contains("token"));
        assertEquals(401, request("GET", "/api/runs?token=wrong-token-0000000000", self(), "", null).status());
        r = request("GET", "/?token=s3cret-token-0123456789", self(), "", null);
        assertEquals(200, r.status());
        assertTrue(r.headers().contains("makemore_token=s3cret-token-0123456789"), r.headers());
        assertTrue(r.headers().contains("HttpOnly") && r.headers().contains("SameSite=Strict"), r.headers());
        assertEquals(200, request("GET", "/api/runs", self(), "Cookie: makemore_token=s3cret-token-0123456789\r\n", null)
                .status());
        assertEquals(200, request("GET", "/api/runs", self(), "Authorization: Bearer s3cret-token-0123456789\r\n", null)
                .status());
        // off loopback a token is made up when none is given
        assertTrue(new RequestGuard(new LabOptions("0.0.0.0", 1, "x", dir, null), () -> 1).token().length() >= 32);
        assertEquals(null, new RequestGuard(new LabOptions("127.0.0.1", 1, "x", dir, null), () -> 1).token());
    }

    @Test
    void everyErrorIsTheJsonShapeWithoutServerDetails() throws Exception {
        RawHttp.Response r = request("GET", "/api/" + "x".repeat(10_000), self(), "", null);
        assertEquals(414, r.status());
        assertTrue(r.headers().toLowerCase().contains("content-type: application/json"), r.headers());
        assertTrue(json(r).has("error"), r.body());
        r = request("GET", "/api/nothing-here", self(), "", null);
        assertEquals(404, r.status());
        assertTrue(json(r).get("error").asText().contains("not found"), r.body());
        r = request("PUT", "/api/runs", self(), "", null);
        assertTrue(r.status() == 404 || r.status() == 405, r.body());
        assertTrue(json(r).has("error"), r.body());
        for (String name : List.of("/", "..", "a/b.txt", "a%00b.txt", "a%2Fb", "%0Aevil")) {
            r = request("POST", "/api/datasets?name=" + name, self(), "Content-Type: application/octet-stream\r\n",
                    "rex\nfido\nbella\nmax\nluna\ncharlie\nlucy\ncooper\ndaisy\nbo\n");
            assertEquals(400, r.status(), name + " -> " + r.body());
            assertEquals("name", json(r).get("field").asText(), r.body());
        }
        assertEquals(1, datasetCount());
        String home = System.getProperty("user.dir");
        for (String path : List.of("/api/runs/zzz", "/api/ngram?context=1.9", "/api/ngram?smoothing=NaN",
                "/api/ngram?dataset=../../etc/passwd", "/api/export?ids=a,../b", "/api/runs/zzz/export?format=xml")) {
            r = request("GET", path, self(), "", null);
            assertTrue(r.status() == 400 || r.status() == 404, path + " -> " + r.status());
            assertFalse(r.body().contains("Exception") || r.body().contains("java.") || r.body().contains(home)
                    || r.body().contains(dir.toString()), path + " -> " + r.body());
        }
        assertEquals("context", json(request("GET", "/api/ngram?context=1.9", self(), "", null)).get("field").asText());
        JsonNode nan = json(request("GET", "/api/ngram?smoothing=NaN", self(), "", null));
        assertEquals("smoothing", nan.get("field").asText());
        assertTrue(nan.get("error").asText().contains("NaN"), nan.toString());
    }

    @Test
    void samplesAndProbesAreStrictlyTypedAndExportsAreDeduplicated() throws Exception {
        String id = json(request("POST", "/api/runs", self(), "Content-Type: application/json\r\n",
                "{\"model\":\"ngram\",\"context\":2}")).get("id").asText();
        long end = System.currentTimeMillis() + 30_000;
        while (!json(request("GET", "/api/runs/" + id, self(), "", null)).get("status").asText().equals("finished")) {
            assertTrue(System.currentTimeMillis() < end);
            Thread.sleep(50);
        }
        String json = "Content-Type: application/json\r\n";
        String[][] bad = {{"{\"n\":\"5\"}", "n"}, {"{\"n\":5.5}", "n"}, {"{\"temperature\":\"hot\"}", "temperature"},
                {"{\"seed\":true}", "seed"}, {"{\"n\":5,\"colour\":1}", "colour"}, {"{\"n\":null}", "n"}, {"[1]", "body"}};
        for (String[] b : bad) {
            RawHttp.Response r = request("POST", "/api/runs/" + id + "/samples", self(), json, b[0]);
            assertEquals(400, r.status(), b[0] + " -> " + r.body());
            assertEquals(b[1], json(r).get("field").asText(), b[0] + " -> " + r.body());
        }
        assertEquals(3, json(request("POST", "/api/runs/" + id + "/samples", self(), json, "{\"n\":3}")).get("names").size());
        RawHttp.Response r = request("POST", "/api/runs/" + id + "/probe", self(), json, "{\"word\":42}");
        assertEquals("word", json(r).get("field").asText(), r.body());
        // one id asked for 700 times is one run in the answer
        String ids = String.join(",", java.util.Collections.nCopies(700, id));
        r = request("GET", "/api/export?format=json&ids=" + ids, self(), "", null);
        assertEquals(200, r.status(), r.body());
        assertEquals(1, json(r).size());
        StringBuilder many = new StringBuilder(id);
        for (int i = 0; i < 200; i++) {
            many.append(",r").append(i);
        }
        r = request("GET", "/api/export?format=json&ids=" + many, self(), "", null);
        assertEquals(400, r.status());
        assertEquals("ids", json(r).get("field").asText());
    }

    /**
     * A GET may compute (a smoothing-vs-L2 comparison trains for minutes): another site's page, by script, link or
     * {@code <img src>}, is refused before anything runs, whichever of Origin, Sec-Fetch-Site or Referer says so.
     * The page itself (a static file) still loads from a share link opened on another site.
     */
    @Test
    void computingGetsFromAnotherSiteAreRefusedBeforeAnythingRuns() throws Exception {
        String heavy = "/api/experiments/smoothing-l2?steps=2000&points=41";
        for (String from : List.of("Sec-Fetch-Site: cross-site\r\n", "Sec-Fetch-Site: same-site\r\n",
                "Origin: http://evil.example\r\n", "Referer: http://evil.example/page.html\r\n",
                "Origin: http://127.0.0.1:" + port() + "\r\nSec-Fetch-Site: cross-site\r\n")) {
            long t0 = System.nanoTime();
            RawHttp.Response r = request("GET", heavy, self(), from, null);
            assertEquals(403, r.status(), from + r.body());
            assertTrue((System.nanoTime() - t0) / 1e6 < 2000, "refused at once, nothing trained: " + from);
        }
        assertEquals(403, request("GET", "/api/ngram?context=2", self(), "Sec-Fetch-Site: cross-site\r\n", null)
                .status());
        assertEquals(403, request("GET", "/api/runs", self(), "Referer: http://evil.example/\r\n", null).status());
        // the routes added for ASHA and time estimates go through the same guard: refused before any work
        assertEquals(403, request("GET", "/api/sweeps/any/rungs", self(), "Sec-Fetch-Site: cross-site\r\n", null)
                .status());
        assertEquals(403, request("POST", "/api/runs/estimate", self(), "Sec-Fetch-Site: cross-site\r\n"
                + "Content-Type: application/json\r\n", "{\"model\":\"mlp\"}").status());
        assertEquals(200, request("GET", "/api/ngram?context=2", self(), "Sec-Fetch-Site: same-origin\r\nReferer: http://"
                + self() + "/\r\n", null).status(), "the page's own requests pass");
        assertEquals(200, request("GET", "/api/runs", self(), "Referer: http://" + self() + "/#/runs\r\n", null)
                .status());
        assertEquals(200, request("GET", "/", self(), "Sec-Fetch-Site: cross-site\r\n", null).status(),
                "a share link opened from another site loads the page");
    }

    /** The page cannot be framed by another site, and runs only its own scripts. */
    @Test
    void everyAnswerForbidsFramingByOtherSites() throws Exception {
        for (String path : List.of("/", "/api/runs", "/js/main.js")) {
            RawHttp.Response r = request("GET", path, self(), "", null);
            String h = r.headers().toLowerCase(java.util.Locale.ROOT);
            assertTrue(h.contains("content-security-policy: default-src 'self'") && h.contains("frame-ancestors 'self'")
                    && h.contains("script-src 'self';"), path + ": " + r.headers());
            assertTrue(h.contains("x-frame-options: sameorigin"), path);
        }
    }
}
