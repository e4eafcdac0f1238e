package makemore.cli;

import makemore.event.RunStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import makemore.store.RunRecord;
import makemore.store.RunStore;
import makemore.store.SweepStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./lab sweep in this JVM; --index from three separate processes at once against one SQLite file, and from three
 * concurrent in-JVM invocations (three connections) against a real PostgreSQL when this machine has its server.
 */
class SweepCommandTest {
    static final String[] SWEEP = {"--model", "ngram", "--context", "2", "--param", "smoothing", "--values",
        "0.01,0.1,10"};

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result inJvm(Map<String, String> env, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(SWEEP));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        args.add(0, "sweep");
        int code = CliAccess.run(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result inJvmArgs(Map<String, String> env, String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] argv = new String[args.length + 1];
        argv[0] = "sweep";
        System.arraycopy(args, 0, argv, 1, args.length);
        int code = CliAccess.run(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), argv);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static JsonNode lastLine(String out) throws IOException {
        String[] lines = out.strip().split("\n");
        return Cli.JSON.readTree(lines[lines.length - 1]);
    }

    @Test
    void aWholeSweepPrintsOneJsonObjectLast() throws Exception {
        Result r = inJvm(Map.of(), "--db", dir.resolve("a.db").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode o = lastLine(r.out());
        assertEquals(3, o.get("points").size());
        for (JsonNode p : o.get("points")) {
            assertEquals("finished", p.get("status").asText());
            assertTrue(p.get("dev").asDouble() > p.get("train").asDouble());
        }
        assertEquals(0.1, o.get("best").get("params").get("smoothing").asDouble());
        assertTrue(r.err().contains("3/3"), "a progress bar over points: " + r.err());
    }

    @Test
    void aPointWorseThanTheMedianIsPrunedAndAStoppedSweepCancelsLaterPoints() throws Exception {
        String db = dir.resolve("p.db").toString();
        String[] args = {"--model", "mlp", "--hidden", "16", "--steps", "1000", "--evalEvery", "200", "--schedule",
            "constant", "--param", "lr", "--values", "0.2,0.0001", "--prune", "0.05:1", "--sweep-id", "pr", "--db", db,
            "--json", "--quiet"};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, CliAccess.sweep(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8)));
        JsonNode o = lastLine(out.toString(StandardCharsets.UTF_8));
        assertEquals("finished", o.get("points").get(0).get("status").asText());
        assertEquals("pruned", o.get("points").get(1).get("status").asText(), o.toString());
        assertEquals(0, o.get("best").get("index").asInt());
        // the same id with another definition is refused (pods of two jobs never mix)
        String[] other = args.clone();
        other[13] = "0.2,0.05";
        Result clash = inJvmArgs(Map.of(), other);
        assertEquals(2, clash.code(), clash.err());
        assertTrue(clash.err().contains("already exists with another definition"), clash.err());
        // a sweep stopped elsewhere (the page, another pod): a point started afterwards is stored as cancelled
        String[] st = {"--model", "ngram", "--param", "smoothing", "--values", "1,2,3", "--sweep-id", "st", "--db", db,
            "--json", "--quiet"};
        assertEquals(0, inJvmArgs(Map.of("JOB_COMPLETION_INDEX", "0"), st).code());
        try (RunStore store = new RunStore(db)) {
            new SweepStore(store).setStatus("st", "stopped");
        }
        Result r = inJvmArgs(Map.of("JOB_COMPLETION_INDEX", "2"), st);
        assertEquals(0, r.code(), r.err());
        JsonNode pts = lastLine(r.out()).get("points");
        assertEquals("stopped", lastLine(r.out()).get("status").asText());
        assertEquals(List.of("finished", "pending", "stopped"), List.of(pts.get(0).get("status").asText(),
                pts.get(1).get("status").asText(), pts.get(2).get("status").asText()));
        try (RunStore store = new RunStore(db)) {
            RunRecord cancelled = store.get(pts.get(2).get("run").asText()).orElseThrow();
            assertEquals(0, cancelled.step());
            assertTrue(cancelled.message().contains("cancelled"), cancelled.message());
        }
    }

    @Test
    void badIndexAndUnreachableDatabaseAreOneClearLine() throws Exception {
        Result r = inJvm(Map.of(), "--db", dir.resolve("b.db").toString(), "--index", "3");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--index 3 is out of range: this sweep has 3 points, 0..2"), r.err());
        r = inJvm(Map.of("JOB_COMPLETION_INDEX", "-1"), "--db", dir.resolve("b.db").toString());
        assertEquals(2, r.code(), "the index comes from the environment too");
        assertTrue(!Files.exists(dir.resolve("b.db")), "nothing was created for a bad index: " + r.err());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        r = inJvm(Map.of("MAKEMORE_DB_PASSWORD", "s3cret"), "--db", "jdbc:postgresql://127.0.0.1:" + port + "/lab?user=lab",
                "--index", "0", "--params-dir", dir.resolve("params-of-a-failed-login").toString());
        assertEquals(1, r.code());
        assertTrue(!Files.exists(dir.resolve("params-of-a-failed-login")), "a database that refused creates nothing");
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().startsWith("error: cannot reach the database jdbc:postgresql://127.0.0.1:" + port
                + "/lab?user=lab&password=***: "), r.err());
        assertTrue(!r.err().contains("s3cret"), r.err());
        r = inJvm(Map.of(), "--db", dir.resolve("c.db").toString(), "--param", "hidden", "--values", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no field 'hidden'"), r.err());
    }

    @Test
    void threeProcessesFillOneSqliteSweep() throws Exception {
        String db = dir.resolve("shared.db").toString();
        threeProcesses(db);
        // a retried pod (same index) finds its point done: nothing is trained or stored twice
        Result again = inJvm(Map.of("JOB_COMPLETION_INDEX", "1"), "--db", db, "--json");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("already done"), again.err());
        check(db);
        try (RunStore store = new RunStore(db)) {
            for (RunRecord.Summary s : store.list()) { // each JVM kept its point's parameters by the database
                assertTrue(Files.exists(dir.resolve("params").resolve(s.id() + ".params")), s.id());
            }
        }
    }

    @Test
    void threeProcessesFillOnePostgresqlSweep() throws Exception {
        try (makemore.store.TestPostgres pg = makemore.store.TestPostgres.start(dir)) {
            threeInJvm(pg.url);
            check(pg.url);
        }
    }

    @Test
    void pointsKeepTheirBestDevParametersWhereALabOnTheSameDataDirSamplesAndScoresThem() throws Exception {
        Path data = dir.resolve("lab");
        String db = data.resolve("lab.db").toString();
        Result mlp = inJvmArgs(Map.of(), "--model", "mlp", "--hidden", "8", "--steps", "60", "--evalEvery", "20",
                "--schedule", "constant", "--param", "lr", "--values", "0.1,0.3", "--db", db, "--json", "--quiet");
        assertEquals(0, mlp.code(), mlp.err());
        Result ngram = inJvmArgs(Map.of(), "--model", "ngram", "--context", "2", "--param", "smoothing", "--values",
                "0.1", "--db", db, "--json", "--quiet");
        assertEquals(0, ngram.code(), ngram.err());
        String kept = lastLine(mlp.out()).get("points").get(0).get("run").asText();
        String gone = lastLine(mlp.out()).get("points").get(1).get("run").asText();
        String counted = lastLine(ngram.out()).get("points").get(0).get("run").asText();
        Path params = data.resolve("params");
        try (var files = Files.list(params)) {
            assertEquals(Set.of(kept + ".params", gone + ".params", counted + ".params"),
                    files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "one file per point, no temporary file left");
        }
        Map<String, Double> testLoss = new java.util.HashMap<>(); // what the lab must answer, from the files
        try (RunStore store = new RunStore(db)) { // the file holds the best dev evaluation's parameters
            RunRecord r = store.get(kept).orElseThrow();
            assertTrue(r.evals().stream().filter(e -> e.split().equals("dev")).count() >= 3, r.evals().toString());
            makemore.data.Corpus corpus = new makemore.data.Corpus(makemore.data.Dataset.builtinNames());
            try (var m = makemore.model.Models.load(r.config(), corpus, params.resolve(kept + ".params"))) {
                assertEquals(r.bestDev(), m.nll(makemore.data.Corpus.Part.DEV), 1e-5);
                testLoss.put(kept, m.nll(makemore.data.Corpus.Part.TEST));
            }
            RunRecord c = store.get(counted).orElseThrow();
            try (var m = makemore.model.Models.load(c.config(), corpus, params.resolve(counted + ".params"))) {
                testLoss.put(counted, m.nll(makemore.data.Corpus.Part.TEST));
            }
        }
        Files.delete(params.resolve(kept + ".params")); // as a point trained on another machine: the database has it
        Files.delete(params.resolve(gone + ".params")); // and one trained before the database kept parameters
        try (RunStore store = new RunStore(db)) {
            new makemore.store.ParamStore(store).delete(gone);
        }
        makemore.web.LabServer server = makemore.web.LabServer.start(
                new makemore.web.LabOptions("127.0.0.1", 0, db, data, null));
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.util.function.BiFunction<String, String, java.net.http.HttpResponse<String>> post = (path, body) -> {
                try {
                    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                            + server.port() + path)).header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            };
            for (String run : List.of(kept, counted)) {
                var samples = post.apply("/api/runs/" + run + "/samples", "{\"n\":5,\"seed\":1}");
                assertEquals(200, samples.statusCode(), samples.body());
                JsonNode names = Cli.JSON.readTree(samples.body()).get("names");
                assertEquals(5, names.size(), samples.body());
                var test = post.apply("/api/runs/" + run + "/test", "{}");
                assertEquals(200, test.statusCode(), test.body());
                JsonNode t = Cli.JSON.readTree(test.body());
                assertEquals(testLoss.get(run), t.get("loss").asDouble(), 1e-6, test.body());
                assertTrue(!t.get("alreadyScored").asBoolean(), test.body());
            }
            for (String path : List.of("/samples", "/test")) {
                var r = post.apply("/api/runs/" + gone + path, path.equals("/test") ? "{}" : "{\"n\":5}");
                assertEquals(409, r.statusCode(), r.body());
                String error = Cli.JSON.readTree(r.body()).get("error").asText();
                assertTrue(error.contains("neither in the run database nor in this lab's params folder"), error);
                assertTrue(!error.contains(dir.toString()), "no server paths in messages: " + error);
            }
        } finally {
            server.close();
        }
        try (RunStore store = new RunStore(db)) {
            assertEquals(null, store.get(gone).orElseThrow().test(), "a refused test score stores nothing");
        }
    }

    @Test
    void theParamsFolderDefaultsToTheDataDirectoryALabOnThatDatabaseUses() {
        assertEquals(Path.of("elsewhere"), Database.paramsDir("elsewhere", "x/lab.db", Map.of()));
        assertEquals(Path.of("d", "params"), Database.paramsDir(null, "x/lab.db", Map.of("MAKEMORE_DATA_DIR", "d")));
        assertEquals(Path.of("x").toAbsolutePath().resolve("params"), Database.paramsDir(null, "x/lab.db", Map.of()));
        assertEquals(Path.of("/v/lab/params"), Database.paramsDir(null, "jdbc:sqlite:/v/lab/lab.db?x=1", Map.of()));
        assertEquals(Path.of("data", "lab", "params"),
                Database.paramsDir(null, "jdbc:postgresql://h:5432/lab?user=lab", Map.of()));
    }

    /**
     * Three concurrent invocations in this JVM, each with its own database connection (to the database they are
     * three clients, as three pods are); cheaper than three JVMs, which the SQLite test already starts.
     */
    private void threeInJvm(String db) throws Exception {
        List<Thread> ts = new ArrayList<>();
        List<Result> results = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 3; i++) {
            String index = Integer.toString(i);
            Thread t = new Thread(() -> {
                try {
                    results.add(inJvm(Map.of("JOB_COMPLETION_INDEX", index), "--db", db, "--json", "--params-dir",
                            dir.resolve("pg-params").toString()));
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            ts.add(t);
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) {
            t.join(120_000);
        }
        assertEquals(List.of(), errors);
        assertEquals(3, results.size());
        for (Result r : results) {
            assertEquals(0, r.code(), r.err());
            assertTrue(lastLine(r.out()).get("sweep").asText().startsWith("h"), r.out());
        }
    }

    /** Three JVMs, as three pods of an Indexed Job: same flags, JOB_COMPLETION_INDEX 0, 1, 2, started together. */
    private void threeProcesses(String db) throws Exception {
        List<String> args = new ArrayList<>(List.of(SWEEP));
        args.addAll(List.of("--db", db, "--json", "--quiet"));
        for (String out : SweepJvms.start(args, i -> Map.of("JOB_COMPLETION_INDEX", Integer.toString(i)), 120)) {
            assertTrue(lastLine(out).get("sweep").asText().startsWith("h"), out);
        }
    }

    private static void check(String db) {
        try (RunStore store = new RunStore(db)) {
            SweepStore sweeps = new SweepStore(store);
            var all = sweeps.list();
            assertEquals(1, all.size(), "one sweep");
            String id = all.get(0).getKey().id();
            List<SweepStore.PointRun> points = sweeps.points(id);
            assertEquals(List.of(0, 1, 2), points.stream().map(SweepStore.PointRun::point).toList());
            Set<String> runs = new HashSet<>();
            for (SweepStore.PointRun p : points) {
                assertEquals(RunStatus.FINISHED, p.status());
                assertTrue(p.dev() > 2.2 && p.dev() < 2.9, "dev " + p.dev());
                runs.add(p.run());
            }
            assertEquals(3, runs.size());
            List<RunRecord.Summary> stored = store.list();
            assertEquals(3, stored.size(), "no run lost or duplicated");
            for (RunRecord.Summary s : stored) {
                assertTrue(runs.contains(s.id()));
                assertEquals(2, store.get(s.id()).orElseThrow().evals().size(), "train and dev, once each");
            }
        }
    }

    /**
     * The same point started twice: the second process sees the first one's live lease, says who holds the point and
     * trains nothing; a point whose holder died (its lease ran out) is taken over.
     */
    @Test
    void aLivePointIsNeverReplacedAndADeadOnesIsTakenOver() throws Exception {
        String db = dir.resolve("lease.db").toString();
        String[] args = {"--model", "mlp", "--hidden", "16", "--steps", "120000", "--evalEvery", "40000", "--param",
            "lr", "--values", "0.1,0.2", "--sweep-id", "lease", "--db", db, "--json", "--params-dir",
            dir.resolve("p").toString()};
        Result[] first = new Result[1];
        Thread a = new Thread(() -> {
            try {
                first[0] = inJvmArgs(Map.of("JOB_COMPLETION_INDEX", "0"), args);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        a.start();
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        String running = null;
        while (running == null && System.nanoTime() < end) {
            Thread.sleep(20);
            if (Files.exists(Path.of(db))) {
                try (RunStore store = new RunStore(db)) {
                    running = store.list().stream().filter(r -> r.status() == RunStatus.RUNNING)
                            .map(RunRecord.Summary::id).findFirst().orElse(null);
                } catch (RuntimeException notYet) {
                    // tables being made
                }
            }
        }
        assertTrue(running != null, "the first process trains point 0");
        Result second = inJvmArgs(Map.of("JOB_COMPLETION_INDEX", "0"), args);
        assertEquals(0, second.code(), second.err());
        assertTrue(second.err().contains("not trained here, process ") && second.err().contains("trains it"),
                second.err());
        a.join(120_000);
        assertEquals(0, first[0].code(), first[0].err());
        JsonNode point = lastLine(first[0].out()).get("points").get(0);
        assertEquals(running, point.get("run").asText());
        assertEquals("finished", point.get("status").asText());
        try (RunStore store = new RunStore(db)) {
            assertEquals(1, store.list().size(), "one run for the point, none orphaned: " + store.list());
            // a holder that died: its lease runs out, and the next process takes the point over
            SweepStore sweeps = new SweepStore(store);
            SweepStore.Claim dead = sweeps.claim("lease", 1, "deadrun001", makemore.model.Models.validate(
                    makemore.config.RunConfig.fromJson("{\"model\":\"mlp\",\"hidden\":16}")), "4242@gone/x", 1);
            assertEquals("deadrun001", dead.run());
        }
        Thread.sleep(5);
        Result taker = inJvmArgs(Map.of("JOB_COMPLETION_INDEX", "1"), args);
        assertEquals(0, taker.code(), taker.err());
        assertTrue(taker.err().contains("replacing run deadrun001"), taker.err());
    }
}
