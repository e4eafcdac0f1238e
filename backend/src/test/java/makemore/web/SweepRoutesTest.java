package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import makemore.store.RunStore;
import org.junit.jupiter.api.Test;

/** The experiment endpoints over HTTP and WebSocket, on the server as the page uses it. */
class SweepRoutesTest extends ServerTestBase {
    static final String SMOOTHING = "{\"base\":{\"model\":\"ngram\",\"context\":2},\"params\":[{\"field\":\"smoothing\","
            + "\"values\":[0.01,0.1,10]}]}";

    JsonNode waitForSweep(String id, String status) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            JsonNode s = json(send("GET", "/api/sweeps/" + id, null));
            if (s.get("status").asText().equals(status)) {
                return s;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("sweep " + id + " never became " + status);
    }

    @Test
    void aSmoothingSweepFinishesWithTheBestPointTestedOnceAndExports() throws Exception {
        var r = send("POST", "/api/sweeps", SMOOTHING);
        assertEquals(201, r.statusCode(), r.body());
        String id = json(r).get("id").asText();
        assertEquals(3, json(r).get("points").asInt());
        Listener l = new Listener();
        http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/sweeps/" + id), l).join();
        JsonNode snap = l.nextOfType("snapshot").get("sweep");
        assertEquals(3, snap.get("points").size());
        JsonNode s = waitForSweep(id, "finished");
        Set<Integer> seen = new HashSet<>();
        while (seen.size() < 3) { // every point arrives finished on the socket (snapshot or point message)
            JsonNode m = l.next();
            List<JsonNode> pts = new ArrayList<>();
            if (m.get("type").asText().equals("point")) {
                pts.add(m.get("point"));
            }
            for (JsonNode p : pts) {
                if (p.get("status").asText().equals("finished")) {
                    assertTrue(p.get("dev").asDouble() > 2);
                    seen.add(p.get("index").asInt());
                }
            }
        }
        double best = Double.MAX_VALUE;
        int bestIndex = -1;
        for (JsonNode p : s.get("points")) {
            assertEquals("finished", p.get("status").asText());
            assertTrue(p.get("train").asDouble() < p.get("dev").asDouble(), "counts fit train better than dev");
            if (p.get("dev").asDouble() < best) {
                best = p.get("dev").asDouble();
                bestIndex = p.get("index").asInt();
            }
        }
        assertEquals(1, bestIndex, "k = 0.1 is the trigram's best of these");
        assertEquals(bestIndex, s.get("best").get("index").asInt());
        assertEquals(0.1, s.get("best").get("params").get("smoothing").asDouble());
        String bestRun = s.get("best").get("run").asText();
        // every point is an ordinary run
        assertEquals("finished", json(send("GET", "/api/runs/" + bestRun, null)).get("status").asText());
        JsonNode first = json(send("POST", "/api/sweeps/" + id + "/test", null));
        assertFalse(first.get("alreadyScored").asBoolean());
        assertEquals(bestRun, first.get("run").asText());
        JsonNode again = json(send("POST", "/api/sweeps/" + id + "/test", null));
        assertTrue(again.get("alreadyScored").asBoolean());
        assertEquals(first.get("loss").asDouble(), again.get("loss").asDouble());
        // the stored definition is a re-run link: posting it back makes a new sweep of the same definition
        var rerun = send("POST", "/api/sweeps", s.get("definition").toString());
        assertEquals(201, rerun.statusCode(), rerun.body());
        JsonNode copy = waitForSweep(json(rerun).get("id").asText(), "finished");
        assertEquals(s.get("hash").asText(), copy.get("hash").asText());
        assertEquals(204, send("DELETE", "/api/sweeps/" + copy.get("id").asText(), null).statusCode());
        JsonNode list = json(send("GET", "/api/sweeps", null));
        assertEquals(1, list.size());
        assertEquals("finished", list.get(0).get("status").asText());
        assertEquals(3, list.get(0).get("counts").get("finished").asInt());
        // long export: config columns and every point's rows; read back with python's csv module
        var csv = send("GET", "/api/sweeps/" + id + "/export?format=csv", null);
        assertEquals(200, csv.statusCode());
        String[] lines = csv.body().split("\n");
        assertTrue(lines[0].startsWith("run,name,sweep,dataset,model,context,smoothing,"), lines[0]);
        assertTrue(lines[0].endsWith(",step,split,loss,lr_at_step"), lines[0]);
        assertEquals(1 + 3 * 2 + 1, lines.length, csv.body()); // train + dev per point, plus the test row
        JsonNode rows = json(send("GET", "/api/sweeps/" + id + "/export?format=json", null));
        assertEquals(7, rows.size());
        assertEquals(id, rows.get(0).get("sweep").asText());
        Path file = dir.resolve("sweep.csv");
        Files.writeString(file, csv.body());
        assertTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 reads the CSV back: install Debian's"
                + " python3 (./run-tests does)");
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import csv,sys\n"
                + "rows=list(csv.DictReader(open(sys.argv[1],newline='')))\n"
                + "assert len(rows)==7 and all(r['sweep'] and r['model']=='ngram' for r in rows), rows\n"
                + "print(len(rows), len({r['run'] for r in rows}), sorted({r['split'] for r in rows}),"
                + " min(float(r['loss']) for r in rows if r['split']=='dev'))", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        assertEquals("7 3 ['dev', 'test', 'train'] " + best, out);
    }

    @Test
    void pointsStoredByAnotherProcessArriveOnTheSweepSocket() throws Exception {
        String db = dir.resolve("lab.db").toString();
        String[] args = {"--model", "ngram", "--param", "smoothing", "--values", "0.5,5", "--sweep-id", "cluster", "--db",
            db, "--quiet"};
        java.io.PrintStream quiet = new java.io.PrintStream(new java.io.ByteArrayOutputStream());
        assertEquals(0, makemore.cli.CliAccess.sweep(args, java.util.Map.of("JOB_COMPLETION_INDEX", "0"), quiet));
        Listener l = new Listener();
        http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/sweeps/cluster"), l)
                .join();
        JsonNode snap = l.nextOfType("snapshot").get("sweep");
        assertEquals("finished", snap.get("points").get(0).get("status").asText());
        assertEquals("pending", snap.get("points").get(1).get("status").asText());
        assertEquals(0, makemore.cli.CliAccess.sweep(args, java.util.Map.of("JOB_COMPLETION_INDEX", "1"), quiet));
        while (true) { // the lab polls the database for points it does not train itself
            JsonNode m = l.nextOfType("point").get("point");
            if (m.get("index").asInt() == 1 && m.get("status").asText().equals("finished")) {
                break;
            }
        }
        JsonNode summary = l.nextOfType("summary");
        assertEquals("finished", summary.get("status").asText());
        assertEquals(0.5, summary.get("best").get("params").get("smoothing").asDouble());
    }

    @Test
    void badSweepsAre400sNamingTheFieldAndCreateNothing() throws Exception {
        String[][] cases = {
            {"{\"base\":{\"model\":\"ngram\"},\"params\":[{\"field\":\"smoothing\",\"values\":[]}]}", "smoothing"},
            {"{\"base\":{\"model\":\"ngram\"},\"params\":[{\"field\":\"smoothing\",\"range\":{\"lo\":1,\"hi\":2,"
                    + "\"points\":501}}]}", "smoothing"},
            {"{\"base\":{\"model\":\"ngram\"},\"params\":[{\"field\":\"lr\",\"values\":[1]}]}", "lr"},
            {"{\"base\":{\"model\":\"ngram\"},\"params\":[{\"field\":\"smoothing\",\"values\":[1,-2]}]}", "smoothing"},
            {"{\"base\":{\"model\":\"ngram\"},\"params\":[{\"field\":\"smoothing\",\"range\":{\"lo\":0,\"hi\":2,"
                    + "\"points\":3,\"scale\":\"log\"}}]}", "smoothing"},
            {"{\"base\":{\"model\":\"ngram\",\"dataset\":\"0123456789abcdef\"},\"params\":[{\"field\":\"smoothing\","
                    + "\"values\":[1]}]}", "dataset"},
            {"not json", "sweep"},
        };
        for (String[] c : cases) {
            var r = send("POST", "/api/sweeps", c[0]);
            assertEquals(400, r.statusCode(), c[0] + " -> " + r.body());
            assertEquals(c[1], json(r).get("field").asText(), r.body());
        }
        assertEquals(404, send("GET", "/api/sweeps/nosuch", null).statusCode());
        assertEquals(0, json(send("GET", "/api/sweeps", null)).size());
        assertEquals(0, json(send("GET", "/api/runs", null)).size());
    }

    @Test
    void theLrFinderSuggestsTheSmoothedMinimum() throws Exception {
        String id = createRun("{\"model\":\"mlp\",\"hidden\":32,\"schedule\":\"finder\",\"steps\":1000,\"evalEvery\":1000}");
        JsonNode run = waitFor(id, "finished");
        assertTrue(run.get("message").asText().contains("LR finder stopped"), run.get("message").asText());
        JsonNode f = json(send("GET", "/api/runs/" + id + "/lr-finder", null));
        JsonNode pts = f.get("points");
        assertTrue(pts.size() > 300 && pts.size() < 1000, "stopped early after " + pts.size() + " steps");
        assertEquals(1e-4, pts.get(0).get("lr").asDouble(), 1e-12);
        double minLr = f.get("minLr").asDouble();
        assertEquals(minLr, f.get("suggestion").asDouble(), 1e-12);
        assertTrue(minLr > 0.01 && minLr < 10, "minimum at " + minLr);
        assertTrue(f.get("rule").asText().contains("where the smoothed loss is lowest"), f.get("rule").asText());
        assertEquals(400, send("GET", "/api/runs/" + createRun("{\"model\":\"ngram\"}") + "/lr-finder", null).statusCode());
        var bad = send("POST", "/api/runs", "{\"model\":\"mlp\",\"schedule\":\"finder\",\"lrMin\":1,\"lrMax\":0.1}");
        assertEquals("lrMax", json(bad).get("field").asText());
    }

    @Test
    void smoothingAndL2CurvesSideBySide() throws Exception {
        var r = send("GET", "/api/experiments/smoothing-l2?context=1&steps=100&points=5", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = RunStore.JSON.readTree(r.body());
        assertEquals(5, j.get("count").get("curve").size());
        assertEquals(5, j.get("neural").get("curve").size());
        double countMin = j.get("count").get("min").get("dev").asDouble();
        assertTrue(countMin > 2.44 && countMin < 2.48, "count bigram best dev " + countMin);
        double neuralMin = j.get("neural").get("min").get("dev").asDouble();
        assertTrue(neuralMin > countMin - 0.01 && neuralMin < 2.7, "neural bigram best dev " + neuralMin);
        assertTrue(j.get("count").has("k0Dev"));
        assertEquals(400, send("GET", "/api/experiments/smoothing-l2?context=9", null).statusCode());
    }
}
