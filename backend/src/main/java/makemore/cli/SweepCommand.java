package makemore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import makemore.data.Corpus;
import makemore.lab.Checkpoints;
import makemore.lab.SweepJudge;
import makemore.lab.TrainingRun;
import makemore.model.Models;
import makemore.store.RunStore;
import makemore.store.StoreWriter;
import makemore.store.SweepStore;
import makemore.sweep.SweepDefinition;
import makemore.sweep.SweepView;
import makemore.config.ConfigException;
import makemore.config.RunConfig;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import makemore.train.TrainResult;

/**
 * {@code ./lab sweep}: every train flag sets the base config; {@code --param NAME} with {@code --values a,b,c} or
 * {@code --range lo:hi:n[:log]} (twice for a grid), {@code --seeds N}, {@code --prune MARGIN[:MIN_FINISHED]}. Points are stored
 * as runs of one sweep in the database ({@code --db}, as the lab's), their best-dev parameters in the lab's params
 * folder ({@code --params-dir}), so the lab samples and test-scores them. {@code --index I} (default: env
 * JOB_COMPLETION_INDEX) trains only point I, under the sweep named by {@code --sweep-id} or the definition's hash,
 * so N processes fill one sweep. Exit 0 done, 1 a point failed or the database cannot be reached, 2 bad usage.
 */
final class SweepCommand {
    private SweepCommand() {}

    private static final String ID_CHARS = "abcdefghijkmnpqrstuvwxyz23456789";

    static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
        List<String> rest = new ArrayList<>();
        ArrayNode params = Cli.JSON.createArrayNode();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--param")) {
                if (i + 3 >= argv.length || !(argv[i + 2].equals("--values") || argv[i + 2].equals("--range"))) {
                    throw new Cli.UsageException("--param NAME must be followed by --values a,b,c or --range"
                            + " lo:hi:n[:log]");
                }
                params.add(param(argv[i + 1], argv[i + 2], argv[i + 3]));
                i += 3;
            } else if (a.equals("--values") || a.equals("--range")) {
                throw new Cli.UsageException(a + " belongs after --param NAME");
            } else {
                rest.add(a);
            }
        }
        Args a = Args.parse(rest.toArray(String[]::new));
        boolean json = a.flag("json");
        boolean quiet = a.flag("quiet");
        boolean plan = a.flag("plan");
        String db = a.take("db");
        String sweepId = a.take("sweep-id");
        String indexArg = a.take("index");
        String seeds = a.take("seeds");
        String prune = a.take("prune");
        String paramsDirArg = a.take("params-dir");
        if (indexArg == null) {
            indexArg = env.get("JOB_COMPLETION_INDEX");
        }
        RunConfig base = Cli.config(a);
        a.requireEmpty();
        if (params.isEmpty()) {
            throw new Cli.UsageException("sweep needs --param NAME --values a,b,c (or --range lo:hi:n[:log])");
        }
        ObjectNode def = Cli.JSON.createObjectNode();
        def.set("base", Cli.JSON.readTree(base.toJson()));
        def.set("params", params);
        if (seeds != null) {
            def.set("seeds", number(seeds, "--seeds"));
        }
        if (prune != null) { // MARGIN[:MIN_FINISHED]
            String[] pp = prune.split(":", 2);
            ObjectNode pr = def.putObject("prune");
            pr.set("margin", number(pp[0], "--prune margin"));
            if (pp.length == 2) {
                pr.set("minFinished", number(pp[1], "--prune min-finished"));
            }
        }
        SweepDefinition sweep = SweepDefinition.parse(def);
        List<SweepDefinition.Point> points = sweep.expand();
        Corpus corpus = new Corpus(Cli.dataset(base.dataset()));
        for (SweepDefinition.Point p : points) {
            try {
                Models.checkFits(p.config(), corpus);
            } catch (ConfigException e) {
                throw new ConfigException(e.field(), "point " + p.index() + " " + p.params() + ": " + e.getMessage());
            }
        }
        if (plan) { // what a cluster job needs to know before it starts: completions = points
            out.println(Cli.JSON.writeValueAsString(Map.of("sweep", sweepId != null ? sweepId : sweep.hashId(),
                    "points", points.size())));
            return 0;
        }
        Integer index = null;
        if (indexArg != null) {
            try {
                index = Integer.parseInt(indexArg.strip());
            } catch (NumberFormatException e) {
                throw new Cli.UsageException("--index must be an integer, got '" + indexArg + "'");
            }
            if (index < 0 || index >= points.size()) {
                throw new Cli.UsageException("--index " + index + " is out of range: this sweep has " + points.size()
                        + " points, 0.." + (points.size() - 1));
            }
        }
        String id = sweepId != null ? sweepId : index != null ? sweep.hashId() : "s" + randomId();
        if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new Cli.UsageException("--sweep-id must be 1..32 letters, digits, '-' or '_', got '" + id + "'");
        }
        String url = dbUrl(db != null ? db : env.getOrDefault("MAKEMORE_DB",
                Path.of(env.getOrDefault("MAKEMORE_DATA_DIR", "data/lab")).resolve("lab.db").toString()), env);
        Path paramsDir = paramsDir(paramsDirArg, url, env);
        try {
            Checkpoints.createDir(paramsDir);
        } catch (IllegalStateException e) {
            err.println("error: cannot keep the points' parameters: " + e.getMessage());
            return 1;
        }
        RunStore store;
        try {
            if (!url.startsWith("jdbc:") && Path.of(url).getParent() != null) {
                Files.createDirectories(Path.of(url).getParent());
            }
            store = open(url);
        } catch (RuntimeException | IOException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            err.println("error: cannot reach the database " + redact(url) + ": " + root.getMessage());
            return 1;
        }
        int failed = 0;
        try (store; StoreWriter writer = new StoreWriter(store)) {
            SweepStore sweeps = retrying(() -> new SweepStore(store));
            sweeps.ensure(id, sweep.hash(), sweep.toJson(), sweep.base().toJson(), points.size());
            List<SweepDefinition.Point> mine = index == null ? points : List.of(points.get(index));
            int done = 0;
            for (SweepDefinition.Point p : mine) {
                RunStatus s = runPoint(sweeps, writer, id, sweep, p, corpus, paramsDir, quiet ? null : err, done,
                        mine.size());
                failed += s == RunStatus.FAILED || s == RunStatus.DIVERGED ? 1 : 0;
                done++;
            }
            writer.flush();
            SweepView v = SweepView.of(sweeps.get(id).orElseThrow(), sweep, sweeps.points(id), null);
            print(v, json, out);
        }
        return failed == 0 ? 0 : 1;
    }

    /**
     * Where the points' best-dev parameters go: {@code --params-dir}, else the params folder of the data directory a
     * lab on this database would use ({@code MAKEMORE_DATA_DIR}, else the SQLite file's folder, as the lab keeps
     * lab.db in its data directory, else data/lab).
     */
    static Path paramsDir(String flag, String url, Map<String, String> env) {
        if (flag != null) {
            return Path.of(flag);
        }
        if (env.get("MAKEMORE_DATA_DIR") != null) {
            return Checkpoints.dir(Path.of(env.get("MAKEMORE_DATA_DIR")));
        }
        String file = url.startsWith("jdbc:sqlite:") ? url.substring("jdbc:sqlite:".length()).split("\\?", 2)[0]
                : url.startsWith("jdbc:") ? null : url;
        if (file == null || file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return Checkpoints.dir(Path.of("data/lab"));
        }
        Path folder = Path.of(file).toAbsolutePath().getParent();
        return Checkpoints.dir(folder);
    }

    /**
     * Pods of one job start together on a fresh database: PostgreSQL may then refuse all but one concurrent
     * CREATE TABLE IF NOT EXISTS with a duplicate-key error, and SQLite processes opening one new file together may
     * meet SQLITE_BUSY. The tables exist after that, so opening again works.
     */
    private static RunStore open(String url) {
        return retrying(() -> new RunStore(url));
    }

    private static <T> T retrying(java.util.function.Supplier<T> open) {
        for (int attempt = 1; ; attempt++) {
            try {
                return open.get();
            } catch (RuntimeException e) {
                String m = String.valueOf(e.getMessage());
                if (attempt >= 5 || !(m.contains("duplicate key") || m.contains("already exists") || m.contains("SQLITE_BUSY")
                        || m.contains("database is locked"))) {
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt + new SecureRandom().nextInt(100));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Trains one point as a run of the sweep (or reports its finished run); returns how it ended. */
    private static RunStatus runPoint(SweepStore sweeps, StoreWriter writer, String id, SweepDefinition sweep,
            SweepDefinition.Point p, Corpus corpus, Path paramsDir, PrintStream err, int done, int total) {
        SweepStore.Claim claim = sweeps.claim(id, p.index(), "c" + randomId(), p.config());
        String label = "point " + p.index() + " " + p.params();
        if (claim.alreadyFinished()) {
            bar(err, done + 1, total, label + ": already done as run " + claim.run());
            return RunStatus.FINISHED;
        }
        if (claim.replaced() != null) {
            try { // its rows are gone; a checkpoint it left on this folder would never be read again
                Files.deleteIfExists(Checkpoints.file(paramsDir, claim.replaced()));
            } catch (IOException ignored) {
                // an orphaned parameter file is harmless
            }
            if (err != null) {
                err.println("point " + p.index() + ": replacing run " + claim.replaced() + " a stopped process left unfinished");
            }
        }
        String run = claim.run();
        if ("stopped".equals(sweeps.get(id).map(SweepStore.Sweep::status).orElse(""))) {
            writer.offer(run, new RunEvent.Status(0, RunStatus.STOPPED, "cancelled: sweep " + id + " was stopped"));
            bar(err, done + 1, total, label + ": cancelled (the sweep was stopped)");
            return RunStatus.STOPPED;
        }
        // best-dev parameters where a lab on this data directory looks, as its own trainers keep them
        TrainResult r = TrainingRun.of(p.config(), corpus).keepBestDev(Checkpoints.file(paramsDir, run))
                .judge(SweepJudge.of(sweeps, id, sweep.prune())).listener(e -> writer.offer(run, e)).run();
        writer.flush(); // the next point's pruner, and other processes, see this one finished
        bar(err, done + 1, total, String.format(Locale.ROOT, "%s: %s, train %.4f dev %.4f", label, r.status().label(),
                r.train(), r.dev()));
        return r.status();
    }

    private static void bar(PrintStream err, int done, int total, String text) {
        if (err == null) {
            return;
        }
        int width = 20;
        int filled = width * done / Math.max(1, total);
        err.println("[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + "  " + text);
        err.flush();
    }

    private static void print(SweepView v, boolean json, PrintStream out) throws IOException {
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("sweep", v.id());
            o.put("status", v.status());
            List<Map<String, Object>> pts = new ArrayList<>();
            for (SweepView.Point p : v.points()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", p.index());
                m.put("params", p.params());
                m.put("train", p.train());
                m.put("dev", p.dev());
                m.put("status", p.status());
                m.put("run", p.run());
                pts.add(m);
            }
            o.put("points", pts);
            o.put("best", v.best());
            out.println(RunStore.JSON.writeValueAsString(o));
            return;
        }
        out.println("sweep " + v.id() + " (" + v.status() + ")");
        for (SweepView.Point p : v.points()) {
            out.printf(Locale.ROOT, "%4d  %-40s %-9s train %s  dev %s  %s%n", p.index(), p.params(), p.status(),
                    fmt(p.train()), fmt(p.dev()), p.run() == null ? "" : p.run());
        }
        if (v.best() != null) {
            out.printf(Locale.ROOT, "best: point %d %s dev %s (run %s)%n", v.best().index(), v.best().params(),
                    fmt(v.best().dev()), v.best().run());
        }
    }

    private static String fmt(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
    }

    /** --param NAME --values a,b,c | --range lo:hi:n[:log] as the sweep's JSON. */
    private static ObjectNode param(String name, String kind, String spec) {
        ObjectNode p = Cli.JSON.createObjectNode().put("field", name);
        if (kind.equals("--values")) {
            ArrayNode vs = p.putArray("values");
            for (String v : spec.split(",")) {
                vs.add(number(v, "--param " + name + " --values"));
            }
        } else if (kind.equals("--range")) {
            String[] parts = spec.split(":");
            if (parts.length < 3 || parts.length > 4 || (parts.length == 4 && !parts[3].matches("lin|log"))) {
                throw new Cli.UsageException("--param " + name + " --range must be lo:hi:n or lo:hi:n:log, got '" + spec + "'");
            }
            ObjectNode r = p.putObject("range");
            r.set("lo", number(parts[0], "--range lo"));
            r.set("hi", number(parts[1], "--range hi"));
            r.set("points", number(parts[2], "--range n"));
            r.put("scale", parts.length == 4 ? parts[3] : "lin");
        }
        return p;
    }

    private static com.fasterxml.jackson.databind.JsonNode number(String v, String what) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = Cli.JSON.readTree(v.strip());
            if (n != null && n.isNumber()) {
                return n;
            }
        } catch (IOException ignored) {
            // reported below
        }
        throw new Cli.UsageException(what + " must be numbers, got '" + v + "'");
    }

    /**
     * A PostgreSQL URL without a password takes it from MAKEMORE_DB_PASSWORD (in a cluster: from a Secret), so the
     * password never appears on a command line.
     */
    static String dbUrl(String db, Map<String, String> env) {
        String pw = env.get("MAKEMORE_DB_PASSWORD");
        if (db.startsWith("jdbc:postgresql:") && pw != null && !pw.isEmpty() && !db.contains("password=")) {
            return db + (db.contains("?") ? "&" : "?") + "password=" + URLEncoder.encode(pw, StandardCharsets.UTF_8);
        }
        return db;
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String randomId() {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            sb.append(ID_CHARS.charAt(r.nextInt(ID_CHARS.length())));
        }
        return sb.toString();
    }
}
