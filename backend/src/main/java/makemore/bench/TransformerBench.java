package makemore.bench;

import makemore.lab.TrainingRun;
import makemore.cli.Cli;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import makemore.data.Corpus;
import makemore.model.LanguageModel;
import makemore.model.Models;
import makemore.config.RunConfig;
import makemore.event.RunEvent;

/**
 * The transformer against makemore.py: steps/s of both, same config (n_layer 4, n_head 4, n_embd 64, batch 32,
 * AdamW), one thread each, runs interleaved so both see the same machine load; each run's rate is 1 / its median
 * step time (makemore.py's own timer on its side), and the medians over runs are compared
 * ({@code ./lab bench --transformer --makemore PATH}); and the time the lab's recipe takes to dev <= 1.90
 * ({@code ./lab bench --transformer-dev}).
 *
 * <p>makemore.py runs unchanged under /usr/bin/python3 with Debian's python3-torch; a small launcher written to a
 * temporary file stands in for the tensorboard writer Debian lacks and pins torch to one thread.
 */
final class TransformerBench {
    private TransformerBench() {}

    /** Stubs torch.utils.tensorboard, pins one thread, reports torch/BLAS/threads, then runs makemore.py as is. */
    private static final String LAUNCHER = String.join("\n",
            "import json, os, runpy, sys, types",
            "class Writer:",
            "    def __init__(self, *a, **k): pass",
            "    def __getattr__(self, name): return lambda *a, **k: None",
            "tb = types.ModuleType('torch.utils.tensorboard')",
            "tb.SummaryWriter = Writer",
            "sys.modules['torch.utils.tensorboard'] = tb",
            "import torch",
            "torch.set_num_threads(1)",
            "torch.ones(64, 64) @ torch.ones(64, 64)",
            "libs = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower() and '/' in l})",
            "print('BENCHINFO ' + json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(),",
            "      'blas': [os.path.realpath(l) for l in libs]}), flush=True)",
            "path = sys.argv[1]",
            "sys.argv = [path] + sys.argv[2:]",
            "runpy.run_path(path, run_name='__main__')",
            "");

    private static final Pattern STEP = Pattern.compile("^step (\\d+) \\| loss [0-9.]+ \\| step time ([0-9.]+)ms");

    static int speed(String makemore, int runs, int steps, PrintStream out) throws IOException {
        int warm = 20;
        Corpus corpus = new Corpus(Cli.dataset("names"));
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"transformer\"}"));
        Path data = Bench.extractNames();
        Path launcher = Files.createTempFile("makemore-launch", ".py");
        launcher.toFile().deleteOnExit();
        Files.writeString(launcher, LAUNCHER);
        out.printf(Locale.ROOT, "transformer, makemore.py's config (layers %d, heads %d, embDim %d, batch %d, AdamW lr %s,"
                + " wd %s): %d runs of %d steps after %d warm-up steps, interleaved%n", cfg.layers(), cfg.heads(),
                cfg.embDim(), cfg.batch(), cfg.lr(), cfg.weightDecay(), runs, steps, warm);
        out.printf(Locale.ROOT, "lab: libtorch %s via DJL, BLAS: %s, threads %d intra-op / %d inter-op%n",
                Engine.getEngine("PyTorch").getVersion(), BlasProbe.describe(), JniUtils.getNumThreads(),
                JniUtils.getNumInteropThreads());
        List<Double> lab = new ArrayList<>();
        List<Double> ref = new ArrayList<>();
        JsonNode info = null;
        for (int run = 0; run < runs; run++) {
            double[] rss = new double[2];
            double ours = labRun(Models.validate(cfg.with("seed", 42 + run)), corpus, warm, steps, rss);
            lab.add(ours);
            String line = String.format(Locale.ROOT, "run %d: lab %.1f steps/s (median step %.2f ms; RSS %.0f -> %.0f"
                    + " MB over the timed steps)", run + 1, ours, 1000 / ours, rss[0], rss[1]);
            if (makemore != null) {
                MakemoreRun r = makemoreRun(launcher, Path.of(makemore), data, warm, steps, 3407 + run);
                if (r == null) {
                    out.println(line);
                    out.println("makemore.py failed: is python3-torch installed (apt-get install -y python3-torch"
                            + " libopenblas0-pthread)?");
                    return 1;
                }
                info = r.info;
                ref.add(r.stepsPerSec);
                line += String.format(Locale.ROOT, " | makemore.py %.1f steps/s (median step %.2f ms)",
                        r.stepsPerSec, 1000 / r.stepsPerSec);
            }
            out.println(line);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        double labMedian = median(lab);
        result.put("labStepsPerSec", lab);
        result.put("labMedian", labMedian);
        out.printf(Locale.ROOT, "lab median %.1f steps/s (min %.1f, max %.1f)%n", labMedian, Collections.min(lab),
                Collections.max(lab));
        if (!ref.isEmpty()) {
            double refMedian = median(ref);
            out.printf(Locale.ROOT, "makemore.py median %.1f steps/s (min %.1f, max %.1f): torch %s, BLAS %s, threads"
                    + " %s%n", refMedian, Collections.min(ref), Collections.max(ref), info.path("torch").asText(),
                    info.path("blas").toString(), info.path("threads").asText());
            out.printf(Locale.ROOT, "lab / makemore.py = %.2fx (medians)%n", labMedian / refMedian);
            result.put("makemoreStepsPerSec", ref);
            result.put("makemoreMedian", refMedian);
            result.put("ratio", labMedian / refMedian);
            result.put("makemoreTorch", info.path("torch").asText());
        }
        out.println(Cli.JSON.writeValueAsString(result));
        return 0;
    }

    /**
     * Steps/s of the lab's transformer from its median step time over {@code steps} steps after {@code warm}: the
     * same statistic makemore.py's own step timer gives, so a stall on a busy machine moves neither side.
     */
    private static double labRun(RunConfig cfg, Corpus corpus, int warm, int steps, double[] rss) {
        try (LanguageModel m = Models.create(cfg, corpus)) {
            for (int i = 0; i < warm; i++) {
                m.step(cfg.lr());
            }
            System.gc(); // RSS without garbage the JVM has not collected yet
            rss[0] = Bench.rssMb();
            List<Double> ms = new ArrayList<>(steps);
            for (int i = 0; i < steps; i++) {
                long t0 = System.nanoTime();
                m.step(cfg.lr());
                ms.add((System.nanoTime() - t0) / 1e6);
            }
            System.gc();
            rss[1] = Bench.rssMb();
            m.drainLoss();
            return 1000 / median(ms);
        }
    }

    private record MakemoreRun(double stepsPerSec, JsonNode info) {}

    /** One makemore.py run; its own per-step timer, median over the logged steps after the warm-up. */
    private static MakemoreRun makemoreRun(Path launcher, Path script, Path data, int warm, int steps, int seed)
            throws IOException {
        Path work = Files.createTempDirectory("makemore-out");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", launcher.toString(), script.toString(), "-i",
                data.toString(), "-o", work.toString(), "--type", "transformer", "--max-steps",
                String.valueOf(warm + steps), "--device", "cpu", "-n", "0", "--seed", String.valueOf(seed));
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        List<Double> ms = new ArrayList<>();
        JsonNode info = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("BENCHINFO ")) {
                    info = Cli.JSON.readTree(line.substring(10));
                }
                Matcher m = STEP.matcher(line);
                if (m.find() && Integer.parseInt(m.group(1)) >= warm) {
                    ms.add(Double.parseDouble(m.group(2)));
                }
            }
        }
        try {
            if (p.waitFor() != 0 || ms.isEmpty() || info == null) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            deleteTree(work);
        }
        return new MakemoreRun(1000 / median(ms), info);
    }

    /**
     * The lab's transformer recipe from scratch on names: dev at every evaluation with the wall time so far, and
     * the wall time of the first evaluation at or below {@code target}.
     */
    static int dev(String json, double target, PrintStream out) throws IOException {
        RunConfig cfg = Models.validate(RunConfig.fromJson(json == null ? RECIPE : json));
        Corpus corpus = new Corpus(Cli.dataset(cfg.dataset()));
        Models.checkFits(cfg, corpus);
        out.println("recipe: " + cfg.toJson());
        long t0 = System.nanoTime();
        double[] reached = {Double.NaN};
        double[] train = {Double.NaN};
        var r = train(cfg, corpus, e -> {
            if (e instanceof RunEvent.Eval ev && ev.split().equals("train")) {
                train[0] = ev.loss();
            }
            if (e instanceof RunEvent.Eval ev && ev.split().equals("dev")) {
                double s = (System.nanoTime() - t0) / 1e9;
                out.printf(Locale.ROOT, "step %d: train %.4f, dev %.4f at %.0f s%n", ev.step(), train[0], ev.loss(), s);
                if (Double.isNaN(reached[0]) && ev.loss() <= target) {
                    reached[0] = s;
                }
            }
        });
        double wall = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "%s: train %.4f, dev %.4f after %d steps, %.0f s wall (%.1f steps/s training); dev <= %s"
                + " first at %s%n", r.status().label(), r.train(), r.dev(), r.steps(), wall, r.stepsPerSec(), target,
                Double.isNaN(reached[0]) ? "never" : String.format(Locale.ROOT, "%.0f s", reached[0]));
        return 0;
    }

    /** The dev recipe: {@code ./lab train --recipe transformer-10min}, its config and history in Recipes. */
    static final String RECIPE = makemore.config.Recipes.TRANSFORMER_10MIN;

    private static makemore.train.TrainResult train(RunConfig cfg, Corpus corpus,
            java.util.function.Consumer<RunEvent> listener) {
        return TrainingRun.of(cfg, corpus).listener(listener).run();
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
