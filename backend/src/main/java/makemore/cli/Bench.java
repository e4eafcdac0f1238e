package makemore.cli;

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
import makemore.model.LanguageModel;
import makemore.model.Models;
import makemore.train.RunConfig;
import makemore.train.Recipes;
import makemore.train.RunControl;
import makemore.train.TrainResult;
import makemore.train.Trainer;

/**
 * Quality and speed on a dataset, with the PyTorch reference run in the same go when asked (--ref FILE):
 * count models, the lecture's MLP recipe, and the lab's fast recipe (time to dev <= 2.17 from scratch).
 * {@code --transformer} and {@code --transformer-dev} run {@link TransformerBench} instead.
 */
final class Bench {
    private Bench() {}

    static int run(Cli.Args a, PrintStream out) throws IOException {
        if (a.flag("transformer")) {
            return TransformerBench.speed(a, out);
        }
        if (a.flag("transformer-dev")) {
            return TransformerBench.dev(a, out);
        }
        String data = a.take("data");
        int steps = a.intValue("steps", 200_000, 1, 5_000_000);
        String ref = a.take("ref");
        String only = a.take("only");
        a.requireEmpty();
        String dataset = data == null ? "names" : data;
        Corpus corpus = new Corpus(Cli.dataset(dataset));
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
                if (e instanceof makemore.train.RunEvent.Progress p) {
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
                if (py != null) {
                    double pyRate = py.get("steps_per_sec").asDouble();
                    out.printf(Locale.ROOT, "pytorch reference (%s, 1 thread): %.0f steps/s, dev %.4f | lab/pytorch = %.2fx%n",
                            py.path("torch").asText(), pyRate, py.path("curve").path(String.valueOf(steps)).path("dev")
                                    .asDouble(Double.NaN), r.stepsPerSec() / pyRate);
                    result.put("pytorchStepsPerSec", pyRate);
                    result.put("speedup", r.stepsPerSec() / pyRate);
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
        out.println(Cli.JSON.writeValueAsString(result));
        return 0;
    }

    private static RunConfig withEval(RunConfig c, int steps) {
        return c.with("evalEvery", steps).with("sampleEvery", 0);
    }

    private static TrainResult train(RunConfig cfg, Corpus corpus, java.util.function.Consumer<makemore.train.RunEvent> l) {
        RunConfig c = cfg.validate();
        try (LanguageModel m = Models.create(c, corpus)) {
            return new Trainer(c, corpus, m, new RunControl(), l).run();
        }
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

    private static void counts(Corpus corpus, PrintStream out, Map<String, Object> result) {
        for (int context = 1; context <= 2; context++) {
            RunConfig cfg = RunConfig.fromJson("{\"model\":\"ngram\",\"context\":" + context + "}").validate();
            CountNgram m = (CountNgram) Models.create(cfg, corpus);
            double bestK = Double.NaN;
            double bestDev = Double.POSITIVE_INFINITY;
            StringBuilder line = new StringBuilder();
            for (double k : List.of(0.0, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)) {
                double dev = m.withSmoothing(k).nll(Corpus.Part.DEV);
                line.append(String.format(Locale.ROOT, " k=%s:%.4f", plain(k), dev));
                if (dev < bestDev) {
                    bestDev = dev;
                    bestK = k;
                }
            }
            String name = context == 1 ? "bigram" : "trigram";
            double add1 = m.withSmoothing(1.0).nll(Corpus.Part.DEV);
            out.printf(Locale.ROOT, "%s dev NLL by smoothing:%s | add-1 %.4f, best k=%s %.4f%n", name, line, add1,
                    plain(bestK), bestDev);
            result.put(name, Map.of("add1Dev", add1, "bestK", bestK, "bestDev", bestDev));
        }
    }

    /** Runs ../shared/bench/ref_mlp.py (PyTorch, one thread) on the same data and returns its RESULT JSON. */
    private static JsonNode reference(String script, String dataset, int steps, PrintStream out) throws IOException {
        Path data = dataset.equals("names") ? extractNames() : Path.of(dataset);
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script, "--data", data.toString(), "mlp",
                "--steps", String.valueOf(steps), "--batch", "32", "--threads", "1", "--evals", String.valueOf(steps));
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
