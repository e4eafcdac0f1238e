package makemore.web;

import makemore.model.Models;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import makemore.store.RunStore;
import org.junit.jupiter.api.Test;

class LabServerTest extends ServerTestBase {
    static final String SMALL_MLP = "{\"model\":\"mlp\",\"steps\":400,\"evalEvery\":200,\"sampleEvery\":200,\"hidden\":32}";

    @Test
    void modelsAndTheirFieldsComeFromTheRegistry() throws Exception {
        HttpResponse<String> r = send("GET", "/api/models", null);
        assertEquals(200, r.statusCode());
        JsonNode models = json(r);
        List<String> names = new ArrayList<>();
        models.forEach(m -> names.add(m.get("name").asText()));
        assertEquals(makemore.model.Models.names(), names);
        JsonNode mlp = models.get(names.indexOf("mlp"));
        JsonNode lr = null;
        for (JsonNode f : mlp.get("fields")) {
            if (f.get("name").asText().equals("lr")) {
                lr = f;
            }
        }
        assertNotNull(lr, "mlp has an lr field");
        assertEquals(0.1, lr.get("default").asDouble());
        assertEquals("log", lr.get("scale").asText());
        assertTrue(lr.get("minOpen").asBoolean());
        assertTrue(lr.get("live").asBoolean());
        assertEquals(1000, lr.get("max").asDouble());
        assertFalse(models.get(names.indexOf("ngram")).get("trainable").asBoolean());
        // a config the page builds from these defaults is accepted as is
        com.fasterxml.jackson.databind.node.ObjectNode cfg = RunStore.JSON.createObjectNode().put("model", "mlp");
        mlp.get("fields").forEach(f -> cfg.set(f.get("name").asText(), f.get("default")));
        cfg.put("steps", 20).put("evalEvery", 20);
        assertEquals(201, send("POST", "/api/runs", cfg.toString()).statusCode());
    }


    @Test
    void streamsSnapshotThenEveryKindOfEventUntilFinished() throws Exception {
        String id = createRun(SMALL_MLP);
        Listener l = new Listener();
        connect(id, l);
        JsonNode snapshot = l.next();
        assertEquals("snapshot", snapshot.get("type").asText());
        assertEquals(id, snapshot.get("run").get("id").asText());
        List<String> types = new ArrayList<>();
        long lastProgressStep = 0;
        while (true) {
            JsonNode m = l.next();
            String type = m.get("type").asText();
            types.add(type);
            if (type.equals("progress")) {
                for (JsonNode p : m.get("points")) {
                    assertTrue(p.get("step").asLong() > lastProgressStep, "progress steps increase");
                    lastProgressStep = p.get("step").asLong();
                    assertTrue(p.get("trainLoss").asDouble() > 0);
                }
            }
            if (type.equals("status") && m.get("status").asText().equals("finished")) {
                break;
            }
        }
        for (String t : List.of("progress", "eval", "samples", "embedding")) {
            assertTrue(types.contains(t), t + " missing from " + types);
        }
        assertTrue(types.indexOf("progress") < types.indexOf("eval"));
        // coalesced: 400 progress points arrive in far fewer messages
        assertTrue(types.stream().filter("progress"::equals).count() < 400);
        assertEquals(400, lastProgressStep);
        JsonNode run = waitFor(id, "finished");
        assertEquals(400, run.get("progress").size());
        assertEquals(2, run.get("embedding").get("step").asInt() / 200);
        assertEquals(2.6025, run.get("bestDev").asDouble(), 0.02, "seeded: as ./lab train gives for this config");
        JsonNode probe = json(send("POST", "/api/runs/" + id + "/probe", "{\"word\":\"emma\"}"));
        assertEquals(5, probe.get("chars").size());
        HttpResponse<String> badWord = send("POST", "/api/runs/" + id + "/probe", "{\"word\":\"EMMA\"}");
        assertEquals(400, badWord.statusCode());
        assertEquals("word", json(badWord).get("field").asText());
        JsonNode samples = json(send("POST", "/api/runs/" + id + "/samples", "{\"n\":5,\"seed\":3}"));
        assertEquals(5, samples.get("names").size());
    }

    @Test
    void badConfigsAndDatasetsAreClearErrors() throws Exception {
        HttpResponse<String> r = send("POST", "/api/runs", "{\"model\":\"mlp\",\"hidden\":-5}");
        assertEquals(400, r.statusCode());
        assertEquals("hidden", json(r).get("field").asText());
        r = send("POST", "/api/runs", "{\"model\":\"mlp\",\"colour\":\"red\"}");
        assertEquals(400, r.statusCode());
        assertEquals("colour", json(r).get("field").asText());
        r = send("POST", "/api/runs", "{\"model\":\"mlp\",\"dataset\":\"/etc/passwd\"}");
        assertEquals(400, r.statusCode());
        assertEquals("dataset", json(r).get("field").asText());
        r = send("POST", "/api/datasets?name=x.bin", "\u0000\u0001\u0002binary\u0000");
        assertEquals(400, r.statusCode());
        assertTrue(json(r).get("error").asText().contains("binary"), r.body());
        r = send("POST", "/api/datasets?name=empty.txt", "");
        assertEquals(400, r.statusCode());
        HttpRequest huge = HttpRequest.newBuilder(URI.create(base() + "/api/datasets?name=big.txt"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[40 * 1024 * 1024])).build();
        assertEquals(413, http.send(huge, HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(404, send("GET", "/api/runs/nosuchrun", null).statusCode());
        // an upload becomes a dataset that runs can name; its content is data, never markup
        r = send("POST", "/api/datasets?name=pets.txt",
                "rex\nfido\nbella\nmax\nluna\ncharlie\nlucy\ncooper\ndaisy\n<img src=x onerror=alert(1)>\n");
        assertEquals(201, r.statusCode(), r.body());
        String ds = json(r).get("id").asText();
        String id = createRun("{\"model\":\"ngram\",\"dataset\":\"" + ds + "\"}");
        assertEquals("finished", waitFor(id, "finished").get("status").asText());
    }

    /** A run steered live: its record's config, posted as it is, trains the same run again, evaluation for evaluation. */
    @Test
    void aSteeredRunsRecordRepostsAsTheSameRun() throws Exception {
        String id = createRun("{\"model\":\"mlp\",\"steps\":20000,\"hidden\":16,\"evalEvery\":5000,\"sampleEvery\":0}");
        Listener l = new Listener();
        connect(id, l);
        l.nextOfType("snapshot");
        l.nextOfType("progress");
        connect(id, new Listener()).sendText("{\"type\":\"set\",\"lr\":0.03}", true);
        JsonNode changed = l.nextOfType("lr");
        JsonNode first = waitFor(id, "finished");
        assertEquals(changed.get("step").asLong(), first.at("/config/lrChanges/0/step").asLong(), first.toString());
        assertEquals(0.03, first.at("/config/lrChanges/0/lr").asDouble());
        JsonNode again = waitFor(createRun(first.get("config").toString()), "finished");
        assertEquals(first.get("config"), again.get("config"));
        java.util.Map<String, Double> was = new java.util.TreeMap<>(); // live and stored records order splits apart
        java.util.Map<String, Double> is = new java.util.TreeMap<>();
        first.get("evals").forEach(e -> was.put(e.get("step").asLong() + e.get("split").asText(), e.get("loss").asDouble()));
        again.get("evals").forEach(e -> is.put(e.get("step").asLong() + e.get("split").asText(), e.get("loss").asDouble()));
        assertEquals(8, was.size(), "train and dev at 5000, 10000, 15000, 20000: " + was);
        assertEquals(was, is, "the same evaluations");
    }

    @Test
    void disconnectingLeavesTheRunTrainingAndLrChangesAreRecorded() throws Exception {
        String id = createRun("{\"model\":\"mlp\",\"steps\":200000,\"hidden\":16,\"evalEvery\":100000}");
        Listener l = new Listener();
        WebSocket ws = connect(id, l);
        l.nextOfType("snapshot");
        l.nextOfType("progress");
        ws.sendText("{\"type\":\"set\",\"lr\":0.05}", true);
        JsonNode lr = l.nextOfType("lr");
        assertEquals(0.05, lr.get("lr").asDouble(), 1e-12);
        ws.sendText("not json", true);
        assertTrue(l.nextOfType("error").get("error").asText().contains("JSON"));
        ws.sendText("{\"type\":\"set\",\"lr\":-2}", true);
        assertTrue(l.nextOfType("error").get("error").asText().contains("lr"));
        ws.abort();
        long step1 = json(send("GET", "/api/runs/" + id, null)).get("step").asLong();
        Thread.sleep(500);
        JsonNode run = json(send("GET", "/api/runs/" + id, null));
        assertEquals("running", run.get("status").asText());
        assertTrue(run.get("step").asLong() > step1, "still training after the viewer left");
        assertEquals(1, run.get("lrChanges").size());
        // a late viewer gets the whole history in its snapshot
        Listener late = new Listener();
        connect(id, late);
        JsonNode snap = late.nextOfType("snapshot").get("run");
        assertTrue(snap.get("progress").size() > 10);
        assertEquals(409, send("DELETE", "/api/runs/" + id, null).statusCode());
        assertEquals(202, send("POST", "/api/runs/" + id + "/stop", null).statusCode());
        JsonNode status = late.nextOfType("status");
        assertEquals("stopped", status.get("status").asText(), status.toString());
        assertEquals(204, send("DELETE", "/api/runs/" + id, null).statusCode());
        assertEquals(404, send("GET", "/api/runs/" + id, null).statusCode());
    }

    @Test
    void testSplitIsScoredOnceAndCrossOriginSocketsAreRefused() throws Exception {
        String id = createRun("{\"model\":\"ngram\",\"context\":2,\"smoothing\":0.1}");
        waitFor(id, "finished");
        JsonNode first = json(send("POST", "/api/runs/" + id + "/test", null));
        assertFalse(first.get("alreadyScored").asBoolean());
        JsonNode second = json(send("POST", "/api/runs/" + id + "/test", null));
        assertTrue(second.get("alreadyScored").asBoolean());
        assertEquals(first.get("loss").asDouble(), second.get("loss").asDouble());
        assertEquals(first.get("loss").asDouble(), json(send("GET", "/api/runs", null)).get(0).get("test").asDouble());
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> http.newWebSocketBuilder()
                .header("Origin", "http://evil.example").buildAsync(URI.create("ws://127.0.0.1:" + server.port()
                        + "/ws/runs/" + id), new Listener()).join());
        assertEquals(403, ((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        HttpResponse<String> csv = send("GET", "/api/runs/" + id + "/export?format=csv", null);
        assertTrue(csv.body().startsWith("run,step,series,value,lr,name\n"), csv.body());
        double dev = json(send("GET", "/api/runs/" + id, null)).get("bestDev").asDouble();
        assertTrue(csv.body().contains("\n" + id + ",0,dev," + dev + ","), csv.body());
        assertEquals(3, csv.body().strip().split("\n").length, csv.body());
    }

    @Test
    void theTestSplitIsScoredOnlyOnceARunHasEndedAndTheScoreSurvivesARestart() throws Exception {
        String id = createRun("{\"model\":\"mlp\",\"steps\":200000,\"hidden\":16,\"evalEvery\":500}");
        String queued = createRun("{\"model\":\"ngram\"}");
        waitFor(id, "running");
        while (json(send("GET", "/api/runs/" + id, null)).get("evals").size() < 2) {
            Thread.sleep(20); // it has parameters saved: still too early
        }
        HttpResponse<String> r = send("POST", "/api/runs/" + id + "/test", null);
        assertEquals(409, r.statusCode(), r.body());
        assertTrue(json(r).get("error").asText().contains("running"), r.body());
        r = send("POST", "/api/runs/" + queued + "/test", null);
        assertEquals(409, r.statusCode(), r.body());
        assertTrue(json(r).get("error").asText().contains("queued"), r.body());
        send("POST", "/api/runs/" + id + "/stop", null);
        waitFor(id, "stopped");
        JsonNode first = json(send("POST", "/api/runs/" + id + "/test", null));
        assertFalse(first.get("alreadyScored").asBoolean());
        JsonNode record = json(send("GET", "/api/runs/" + id, null));
        assertEquals(first.get("loss").asDouble(), record.get("test").get("loss").asDouble(), "GET shows the score");
        server.close();
        server = newServer();
        JsonNode again = json(send("POST", "/api/runs/" + id + "/test", null));
        assertTrue(again.get("alreadyScored").asBoolean());
        assertEquals(first.get("loss").asDouble(), again.get("loss").asDouble());
        assertEquals(first.get("scoredAt").asText(), again.get("scoredAt").asText());
    }

    /**
     * The real queue, filled: the trainers busy with long runs, then 1,000 queued runs. The next run is a 429 with the
     * count, and so is a sweep, whose points share the same bound; a place that frees up takes a run again.
     */
    @Test
    void aFullTrainerQueueIsA429WithTheCountForRunsAndSweepsAlike() throws Exception {
        String busy = "{\"model\":\"mlp\",\"hidden\":8,\"steps\":5000000,\"evalEvery\":1000000}";
        List<String> long_ = new java.util.ArrayList<>();
        for (int i = 0; i < makemore.lab.RunService.defaultConcurrency(); i++) {
            long_.add(createRun(busy));
        }
        for (String id : long_) {
            waitFor(id, "running");
        }
        for (int i = 0; i < makemore.config.Limits.QUEUED_RUNS; i++) {
            createRun("{\"model\":\"ngram\",\"context\":1}");
        }
        assertEquals(makemore.config.Limits.QUEUED_RUNS, server.runs().queue().count());
        int stored = json(send("GET", "/api/runs", null)).size();
        HttpResponse<String> r = send("POST", "/api/runs", "{\"model\":\"ngram\"}");
        assertEquals(429, r.statusCode(), r.body());
        assertTrue(json(r).get("error").asText().contains("1000 runs are already queued"), r.body());
        HttpResponse<String> sweep = send("POST", "/api/sweeps", "{\"base\":{\"model\":\"ngram\"},\"params\":"
                + "[{\"field\":\"smoothing\",\"values\":[0.1,1]}]}");
        assertEquals(429, sweep.statusCode(), sweep.body());
        assertTrue(json(sweep).get("error").asText().contains("1000 runs are already queued"), sweep.body());
        assertEquals(stored, json(send("GET", "/api/runs", null)).size(), "nothing refused was stored");
        for (String id : long_) {
            assertEquals(202, send("POST", "/api/runs/" + id + "/stop", null).statusCode());
        }
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (server.runs().queue().count() > makemore.config.Limits.QUEUED_RUNS - 2 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertEquals(201, send("POST", "/api/sweeps", "{\"base\":{\"model\":\"ngram\"},\"params\":"
                + "[{\"field\":\"smoothing\",\"values\":[0.1,1]}]}").statusCode(), "two places freed up");
    }

    @Test
    void idleViewersHoldNoThreadAndBadSocketMessagesAreRefusedByName() throws Exception {
        String id = createRun("{\"model\":\"ngram\"}");
        waitFor(id, "finished");
        int before = Thread.activeCount();
        List<WebSocket> sockets = new ArrayList<>();
        List<Listener> listeners = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Listener l = new Listener();
            listeners.add(l);
            sockets.add(connect(id, l));
        }
        for (Listener l : listeners) {
            assertEquals("snapshot", l.next().get("type").asText());
        }
        int grew = Thread.activeCount() - before;
        // the client side (java.net.http) may add a few of its own; the server adds none per viewer
        assertTrue(grew < 20, "100 idle viewers added " + grew + " threads");
        WebSocket ws = sockets.get(0);
        Listener l = listeners.get(0);
        for (String[] bad : new String[][] {{"{\"type\":\"set\",\"lr\":\"0.1\"}", "lr"},
                {"{\"type\":\"set\",\"lr\":0.1,\"lr\":0.2}", "lr"}, {"{\"type\":\"set\",\"lr\":0.1} x", "JSON"},
                {"{\"type\":\"set\",\"lr\":0.1,\"steps\":5}", "steps"}, {"{\"type\":\"get\"}", "expected"},
                {"[".repeat(2000), "JSON"}}) {
            ws.sendText(bad[0], true);
            JsonNode e = l.nextOfType("error");
            assertTrue(e.get("error").asText().contains(bad[1]), bad[0] + " -> " + e);
        }
        ws.sendText("{\"type\":\"set\",\"lr\":0.1}", true); // well-formed, but the run has ended
        assertTrue(l.nextOfType("error").get("error").asText().contains("while the run trains"));
        sockets.forEach(WebSocket::abort);
    }

    @Test
    void restartKeepsRunsAndMarksUnfinishedOnesInterrupted() throws Exception {
        String done = createRun("{\"model\":\"ngram\"}");
        waitFor(done, "finished");
        server.close();
        server = null;
        // a process that died mid-run leaves its row 'running'
        try (RunStore store = new RunStore(dir.resolve("lab.db").toString())) {
            store.insert("deadrun123", "2026-01-01T00:00:00Z", Models.defaults(), makemore.event.RunStatus.RUNNING, "");
        }
        server = newServer();
        JsonNode list = json(send("GET", "/api/runs", null));
        assertEquals(2, list.size());
        JsonNode dead = json(send("GET", "/api/runs/deadrun123", null));
        assertEquals("interrupted", dead.get("status").asText());
        assertTrue(dead.get("message").asText().contains("re-run"));
        assertEquals("finished", json(send("GET", "/api/runs/" + done, null)).get("status").asText());
    }

    @Test
    void runsBeyondTheTrainerLimitQueue() throws Exception {
        int slots = makemore.lab.RunService.defaultConcurrency();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i <= slots; i++) {
            ids.add(createRun("{\"model\":\"mlp\",\"steps\":100000,\"hidden\":16,\"evalEvery\":100000}"));
        }
        String last = ids.get(ids.size() - 1);
        Thread.sleep(300);
        assertEquals("queued", json(send("GET", "/api/runs/" + last, null)).get("status").asText());
        send("POST", "/api/runs/" + ids.get(0) + "/stop", null);
        waitFor(last, "running");
        for (String id : ids.subList(1, ids.size())) {
            send("POST", "/api/runs/" + id + "/stop", null);
        }
        waitFor(last, "stopped");
    }

    @Test
    void runsTakeANameAndANoteAndDatasetsCarryTheirHash() throws Exception {
        String id = createRun("{\"model\":\"ngram\"}");
        waitFor(id, "finished");
        HttpResponse<String> r = send("PATCH", "/api/runs/" + id, "{\"name\":\" bigram, k=1 \",\"note\":\"baseline\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("bigram, k=1", json(r).get("name").asText());
        r = send("PATCH", "/api/runs/" + id, "{\"note\":null}"); // only what is sent changes
        assertEquals("bigram, k=1", json(r).get("name").asText());
        assertTrue(json(r).get("note").isNull());
        assertEquals("bigram, k=1", json(send("GET", "/api/runs/" + id, null)).get("name").asText());
        assertEquals("bigram, k=1", json(send("GET", "/api/runs", null)).get(0).get("name").asText());
        assertTrue(send("GET", "/api/runs/" + id + "/export?format=csv", null).body().contains(",\"bigram, k=1\"\n"));
        r = send("PATCH", "/api/runs/" + id, "{\"colour\":\"red\"}");
        assertEquals(400, r.statusCode());
        assertEquals("colour", json(r).get("field").asText());
        r = send("PATCH", "/api/runs/" + id, "{\"name\":" + "\"" + "x".repeat(101) + "\"}");
        assertEquals(400, r.statusCode());
        assertEquals("name", json(r).get("field").asText());
        assertEquals(404, send("PATCH", "/api/runs/nosuchrun", "{\"name\":\"a\"}").statusCode());

        String body = "rex\nfido\nbella\nmax\nluna\ncharlie\nlucy\ncooper\ndaisy\nrocky\n";
        JsonNode up = json(send("POST", "/api/datasets?name=pets.txt", body));
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        String hash = java.util.HexFormat.of().formatHex(sha.digest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(hash, up.get("sha256").asText());
        assertEquals(hash.substring(0, 16), up.get("id").asText());
        JsonNode list = json(send("GET", "/api/datasets", null));
        assertEquals(64, list.get(0).get("sha256").asText().length(), "the built-in dataset has its hash too");
        assertEquals(hash, list.get(1).get("sha256").asText());
    }
}
