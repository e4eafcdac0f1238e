package makemore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import makemore.config.ConfigException;
import makemore.config.Limits;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.lab.Checkpoints;
import makemore.model.Models;
import makemore.store.ParamStore;
import makemore.store.RunStore;
import makemore.store.StoreWriter;
import makemore.store.RungStore;
import makemore.store.SweepStore;
import makemore.sweep.AshaView;
import makemore.sweep.SweepDefinition;
import makemore.sweep.SweepView;
import makemore.sweep.Together;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./lab sweep}: every train flag sets the base config; {@code --param NAME} with {@code --values a,b,c} or
 * {@code --range lo:hi:n[:log]} (twice for a grid), {@code --seeds N}, {@code --prune MARGIN[:MIN_FINISHED]}, or
 * {@code --search random|asha --trials N} over {@code lo:hi[:log]} ranges ({@link SweepFlags}). Points
 * are stored as runs of one sweep in the database ({@code --db}, as the lab's), their best-dev parameters in the
 * lab's params folder ({@code --params-dir}), so the lab samples and test-scores them. {@code --index I} (default:
 * env JOB_COMPLETION_INDEX) trains only point I, under the sweep named by {@code --sweep-id} or the definition's
 * hash, so N processes fill one sweep. Exit 0 done, 1 a point failed or the database cannot be reached, 2 bad usage.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Trains a grid of runs over one to six fields, or random trials (--search random), or random"
                + " trials stopped early by ASHA (--search asha), stored as one sweep the lab shows.",
            "Each point is an ordinary run; --index I trains only point I, so N processes (a cluster job) fill one"
                    + " sweep."},
        footer = {"", "Examples:",
            "  ./lab sweep --model mlp --steps 2000 --param lr --range 0.01:1:5:log --json",
            "  ./lab sweep --model ngram --context 3 --param smoothing --values 0.01,0.1,1 --param context --values 2,3",
            "  ./lab sweep --model mlp --evalEvery 500 --param lr --range 0.001:1:log --param hidden --range 50:400"
                    + " --search asha --trials 27 --json"})
final class SweepCommand implements Callable<Integer> {
    private static final String ID_CHARS = "abcdefghijkmnpqrstuvwxyz23456789";
    private final LabCli.Io io;

    @Spec
    CommandSpec spec;

    /** One swept field: --param NAME then --values or --range. */
    static final class Swept {
        @Option(names = "--param", required = true, paramLabel = "FIELD", description = "a config field to sweep")
        String field;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Values values;
    }

    static final class Values {
        @Option(names = "--values", paramLabel = "a,b,c", description = "its values, comma-separated")
        String list;

        @Option(names = "--range", paramLabel = "lo:hi[:n][:log]", description = "n values from lo to hi, evenly or on a"
                + " log scale; with --search random or asha, lo:hi[:log] to draw from")
        String range;
    }

    @ArgGroup(exclusive = false, multiplicity = "1..6", heading = "%nWhat to sweep (once, or up to six times):%n")
    List<Swept> params;

    @Option(names = "--search", paramLabel = "KIND", description = "grid (default: every combination), random"
            + " (--trials draws, reproducible from --seed) or asha (random trials stopped early at rungs)")
    String search;

    @Option(names = "--trials", paramLabel = "N", description = "trials to draw with --search random or asha")
    Integer trials;

    @Option(names = "--eta", paramLabel = "ETA", description = "asha: the top 1/ETA of each rung go on (default 3)")
    Integer eta;

    @Option(names = "--min-steps", paramLabel = "N", description = "asha: the first rung; rungs are N x ETA^k up to"
            + " --steps (default steps / ETA^2)")
    Integer minSteps;

    @Option(names = "--rung-cooldown", paramLabel = "N", description = "asha: rank a trial at a rung by its dev after N"
            + " steps at the schedule's final lr, on a branch the run does not keep (default --min-steps / 4; 0: none)")
    Integer rungCooldown;

    @Option(names = "--seeds", paramLabel = "N", description = "runs per point with seeds seed..seed+N-1, in [1, "
            + Limits.SWEEP_SEEDS + "]")
    Integer seeds;

    @Option(names = "--prune", paramLabel = "MARGIN[:MIN]", description = "stop a point whose dev is worse than the"
            + " median of MIN (default 3) finished points at the same step by more than MARGIN nats")
    String prune;

    @Mixin
    DbOption db;

    @Option(names = "--params-dir", paramLabel = "DIR", description = "where the points' best-dev parameters go"
            + " (default: the params folder of the lab on this database)")
    String paramsDir;

    @Option(names = "--index", paramLabel = "I", description = "train only point I (env JOB_COMPLETION_INDEX)")
    String index;

    @Option(names = "--sweep-id", paramLabel = "ID", description = "the sweep's id (default: the definition's hash"
            + " with --index, else a new one)")
    String sweepId;

    @Option(names = "--together", paramLabel = "K", description = "train up to K points whose parameters have the"
            + " same shapes as one batched model (models that support it: mlp); 1 trains each alone (default "
            + Together.DEFAULT + ", and fewer than " + Together.LEAST + " alone; 1 with --prune or --search asha, which"
            + " judge points by the order they arrive in)")
    Integer together;

    @Option(names = "--plan", description = "print {sweep, points} and train nothing (what a cluster job needs)")
    boolean plan;

    @Option(names = "--json", description = "print the sweep as one JSON object last")
    boolean json;

    @Option(names = "--quiet", description = "no per-point progress lines")
    boolean quiet;

    SweepCommand(LabCli.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        PrintStream out = io.out();
        PrintStream err = io.err();
        Map<String, String> env = io.env();
        String indexArg = index != null ? index : env.get("JOB_COMPLETION_INDEX");
        RunConfig base = ConfigOptions.read(spec);
        ObjectNode def = Cli.JSON.createObjectNode();
        def.set("base", Cli.JSON.readTree(base.toJson()));
        ArrayNode ps = def.putArray("params");
        ObjectNode how = SweepFlags.search(search, trials, eta, minSteps, rungCooldown);
        for (Swept p : params) {
            ps.add(p.values.list != null ? SweepFlags.values(p.field, p.values.list)
                    : SweepFlags.range(p.field, p.values.range, how != null));
        }
        if (how != null) {
            def.set("search", how);
        }
        if (seeds != null) {
            def.put("seeds", seeds);
        }
        if (prune != null) { // MARGIN[:MIN_FINISHED]
            String[] pp = prune.split(":", 2);
            ObjectNode pr = def.putObject("prune");
            pr.set("margin", SweepFlags.number(pp[0], "--prune margin"));
            if (pp.length == 2) {
                pr.set("minFinished", SweepFlags.number(pp[1], "--prune min-finished"));
            }
        }
        Together.Asked grouping = Together.plan(together, def);
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
        Integer only = null;
        if (indexArg != null) {
            try {
                only = Integer.parseInt(indexArg.strip());
            } catch (NumberFormatException e) {
                throw new LabCli.UsageException("--index must be an integer, got '" + indexArg + "'");
            }
            if (only < 0 || only >= points.size()) {
                throw new LabCli.UsageException("--index " + only + " is out of range: this sweep has "
                        + points.size() + " points, 0.." + (points.size() - 1));
            }
        }
        String id = sweepId != null ? sweepId : only != null ? sweep.hashId() : "s" + randomId();
        if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new LabCli.UsageException("--sweep-id must be 1..32 letters, digits, '-' or '_', got '" + id + "'");
        }
        String url = db.url(env);
        Path params = Database.paramsDir(paramsDir, url, env);
        int failed = 0;
        try (RunStore store = Database.open(url); StoreWriter writer = new StoreWriter(store)) {
            SweepStore sweeps = Database.retrying(() -> new SweepStore(store));
            RungStore rungs = Database.retrying(() -> new RungStore(store));
            ParamStore kept = Database.retrying(() -> new ParamStore(store));
            try { // only once the database has let us in: a failed login leaves nothing behind
                Checkpoints.createDir(params);
            } catch (IllegalStateException e) {
                throw new IOException("cannot keep the points' parameters: " + e.getMessage());
            }
            sweeps.ensure(id, sweep.hash(), sweep.toJson(), sweep.base().toJson(), points.size());
            List<SweepDefinition.Point> mine = only == null ? points : List.of(points.get(only));
            SweepPoints trainer = new SweepPoints(sweeps, rungs, kept, writer, id, sweep, corpus, params,
                    quiet ? null : err, mine.size());
            for (List<SweepDefinition.Point> group : Together.groups(mine, grouping.k(), grouping.least(), corpus)) {
                failed += trainer.run(group);
            }
            writer.flush();
            SweepView v = SweepView.of(sweeps.get(id).orElseThrow(), sweep, sweeps.points(id), null);
            print(v, sweep.search().asha() ? AshaView.of(sweep, rungs.rows(id), v.points()) : null, json, out);
        }
        return failed == 0 ? 0 : 1;
    }

    private static void print(SweepView v, AshaView asha, boolean json, PrintStream out) throws IOException {
        // what the search cost: the trials' steps and ASHA's cooldown branches
        long stepsTrained = v.points().stream().mapToLong(SweepView.Point::step).sum()
                + (asha == null ? 0 : asha.cooldownSteps());
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
            o.put("importance", v.importance());
            o.put("stepsTrained", stepsTrained);
            if (asha != null) {
                o.put("asha", asha);
            }
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
        if (asha != null) {
            for (AshaView.Rung r : asha.rungs()) {
                out.printf(Locale.ROOT, "rung %d (step %d): %d reached, %d went on, %d pruned%n", r.rung(), r.step(),
                        r.reached(), r.promoted(), r.pruned());
            }
        }
        out.println("steps trained: " + stepsTrained);
    }

    private static String fmt(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.4f", d);
    }

    static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }

    static String randomId() {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            sb.append(ID_CHARS.charAt(r.nextInt(ID_CHARS.length())));
        }
        return sb.toString();
    }
}
