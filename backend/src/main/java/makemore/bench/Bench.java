package makemore.bench;

import makemore.lab.TrainingRun;
import makemore.cli.Cli;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import makemore.data.Corpus;
import makemore.model.CountNgram;
import makemore.model.Models;
import makemore.config.RunConfig;
import makemore.config.Recipes;
import makemore.train.TrainResult;

/**
 * Quality and speed on a dataset, with the PyTorch reference run in the same go when asked (--ref FILE):
 * count models, the lecture's MLP recipe, the lab's fast recipe (its dev and the wall time of its 6,000 steps from
 * scratch) and the cost of layer health; {@code --only batchnorm} and {@code --only wavenet} add lecture 3's
 * BatchNorm MLP against the plain one and lecture 5's WaveNet (long runs, so only when asked).
 * {@code --only mlp-speed} (and {@code --only mlp} with {@code --ref}) times the MLP against PyTorch eager, the same
 * loop on both sides ({@link MlpSpeedBench}). {@code --transformer} and {@code --transformer-dev} run
 * {@link TransformerBench} instead.
 */
public final class Bench {
    private Bench() {}

    static int run(BenchCommand o, PrintStream out) throws IOException {
        if (o.transformer) {
            return TransformerBench.speed(o.makemore, o.runs, o.steps == null ? 300 : o.steps, out);
        }
        if (o.transformerDev) {
            return TransformerBench.dev(o.config, o.target, out);
        }
        int steps = o.steps == null ? 200_000 : o.steps;
        String ref = o.ref;
        String only = o.only;
        int speedSteps = o.speedSteps;
        int speedRuns = o.speedRuns;
        String dataset = o.data;
        Corpus corpus = new Corpus(Cli.dataset(dataset));
        if ("speed".equals(only)) {
            return SpeedBench.run(corpus, dataset, out);
        }
        if ("mlp-speed".equals(only)) {
            Map<String, Object> result = new LinkedHashMap<>();
            MlpSpeedBench.run(corpus, dataset, speedSteps, speedRuns, o.python, ref, out, result);
            out.println(Cli.JSON.writeValueAsString(result));
            return 0;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dataset", dataset);
        if (only == null || only.equals("counts")) {
            counts(corpus, out, result);
        }
        if (only == null || only.equals("mlp")) {
            RunConfig lecture = RunConfig.fromJson(Recipes.LECTURE).with("steps", steps).with("dataset", dataset);
            lecture = withEval(lecture, steps);
            // RSS from step 5000 to the last step, both before any whole-split evaluation
            double[] rss = {Double.NaN, Double.NaN, 0, 0};
            int warm = Math.min(5000, steps / 2);
            TrainResult r = train(lecture, corpus, e -> {
                if (e instanceof makemore.event.RunEvent.Progress p) {
                    if (Double.isNaN(rss[0]) && p.step() >= warm) {
                        rss[0] = rssMb();
                        rss[2] = Runtime.getRuntime().totalMemory() / 1048576.0;
                    }
                    if (p.step() == steps) {
                        rss[1] = rssMb();
                        rss[3] = Runtime.getRuntime().totalMemory() / 1048576.0;
                    }
                }
            });
            out.printf(Locale.ROOT, "mlp lecture recipe, %d steps: train %.4f dev %.4f | %.0f steps/s | %.1f s | "
                    + "RSS %.0f MB at step %d, %.0f MB at the last step (%+.1f MB; Java heap %.0f -> %.0f MB)%n", r.steps(),
                    r.train(), r.dev(), r.stepsPerSec(), r.seconds(), rss[0], warm, rss[1], rss[1] - rss[0], rss[2], rss[3]);
            result.put("rssGrowthMb", rss[1] - rss[0]);
            result.put("mlp", Map.of("steps", r.steps(), "train", r.train(), "dev", r.dev(),
                    "stepsPerSec", r.stepsPerSec(), "seconds", r.seconds()));
            if (ref != null) {
                JsonNode py = reference(ref, dataset, steps, out);
                if (py == null) {
                    result.put("referenceFailed", true);
                } else {
                    out.printf(Locale.ROOT, "pytorch reference, same recipe and init (--init-scale, seed 42), %d steps:"
                            + " train %.4f dev %.4f%n", steps, py.path("curve").path(String.valueOf(steps)).path("train")
                            .asDouble(Double.NaN), py.path("curve").path(String.valueOf(steps)).path("dev")
                            .asDouble(Double.NaN));
                    MlpSpeedBench.run(corpus, dataset, speedSteps, speedRuns, o.python, ref, out, result);
                }
            }
        }
        if (only == null || only.equals("fast")) {
            RunConfig fast = RunConfig.fromJson(Recipes.FAST).with("dataset", dataset);
            fast = withEval(fast, fast.steps());
            long t0 = System.nanoTime();
            TrainResult r = train(fast, corpus, e -> {});
            double wall = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "mlp fast recipe (batch 128, lr 0.4 cosine to x0.02, %d steps): train %.4f dev %.4f | "
                    + "%.0f steps/s | wall %.1f s from scratch%n", r.steps(), r.train(), r.dev(), r.stepsPerSec(), wall);
            result.put("fast", Map.of("steps", r.steps(), "dev", r.dev(), "wallSeconds", wall,
                    "stepsPerSec", r.stepsPerSec()));
        }
        if (only == null || only.equals("health")) {
            DeepBench.health(corpus, dataset, out, result);
        }
        if (only == null || only.equals("attribution")) {
            AttributionBench.run(corpus, dataset, out, result);
        }
        if ("batchnorm".equals(only)) {
            DeepBench.batchNorm(corpus, dataset, steps, out, result);
        }
        if ("wavenet".equals(only)) {
            DeepBench.waveNet(corpus, dataset, steps, out, result);
        }
        out.println(Cli.JSON.writeValueAsString(result));
        return result.containsKey("referenceFailed") ? 1 : 0; // a comparison that did not happen is not a pass
    }

    private static RunConfig withEval(RunConfig c, int steps) {
        return c.with("evalEvery", steps).with("sampleEvery", 0);
    }

    private static TrainResult train(RunConfig cfg, Corpus corpus, java.util.function.Consumer<makemore.event.RunEvent> l) {
        return TrainingRun.of(Models.validate(cfg), corpus).listener(l).run();
    }

    /** 0.1 rather than 0.100000. */
    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    static double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // not Linux: no RSS figure
        }
        return Double.NaN;
    }

    /** Add-k over a grid of k against interpolated Kneser-Ney (discount 0.75 and the best of a grid), context 1..5. */
    private static void counts(Corpus corpus, PrintStream out, Map<String, Object> result) {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (int context = 1; context <= 5; context++) {
            RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"ngram\",\"context\":" + context + "}"));
            CountNgram m = (CountNgram) Models.create(cfg, corpus);
            double[] best = best(List.of(0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0),
                    k -> m.withSmoothing(k).nll(Corpus.Part.DEV));
            double add1 = m.withSmoothing(1.0).nll(Corpus.Part.DEV);
            double kn = m.withKneserNey(0.75).nll(Corpus.Part.DEV);
            double[] knBest = best(List.of(0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0),
                    d -> m.withKneserNey(d).nll(Corpus.Part.DEV));
            out.printf(Locale.ROOT, "count n-gram, context %d, dev NLL: add-1 %.4f, add-k best k=%s %.4f |"
                    + " Kneser-Ney D=0.75 %.4f, best D=%s %.4f%n", context, add1, plain(best[0]), best[1], kn,
                    plain(knBest[0]), knBest[1]);
            rows.add(Map.of("context", context, "add1Dev", add1, "bestK", best[0], "bestDev", best[1],
                    "kneserNeyDev", kn, "kneserNeyBestD", knBest[0], "kneserNeyBestDev", knBest[1]));
        }
        result.put("counts", rows);
    }

    /** {value, score} of the lowest score. */
    private static double[] best(List<Double> values, java.util.function.DoubleUnaryOperator score) {
        double[] best = {Double.NaN, Double.POSITIVE_INFINITY};
        for (double v : values) {
            double s = score.applyAsDouble(v);
            if (s < best[1]) {
                best[0] = v;
                best[1] = s;
            }
        }
        return best;
    }

    /** Runs ../shared/bench/ref_mlp.py (PyTorch, one thread) on the same data and returns its RESULT JSON. */
    static JsonNode reference(String script, String dataset, int steps, PrintStream out) throws IOException {
        Path data = dataset.equals("names") ? extractNames() : Path.of(dataset);
        // the lab's lecture recipe: kaiming init (ref_mlp.py's --init-scale), seed 42, lr 0.1 then 0.01 at half
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script, "--data", data.toString(), "mlp",
                "--steps", String.valueOf(steps), "--batch", "32", "--threads", "1", "--evals", String.valueOf(steps),
                "--init-scale", "--seed", "42");
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        JsonNode result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    result = Cli.JSON.readTree(line.substring(7));
                }
            }
        }
        try {
            if (p.waitFor() != 0 || result == null) {
                out.println("pytorch reference failed (is python3-torch installed? see ../shared/bench/README.md)");
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return result;
    }

    static Path extractNames() throws IOException {
        Path tmp = Files.createTempFile("names", ".txt");
        tmp.toFile().deleteOnExit();
        try (var in = Bench.class.getResourceAsStream("/makemore/data/names.txt")) {
            Files.write(tmp, in.readAllBytes());
        }
        return tmp;
    }

}
