package makemore.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import makemore.data.Corpus;
import makemore.model.LanguageModel;
import makemore.model.Models;
import makemore.config.Recipes;
import makemore.config.RunConfig;
import makemore.train.RunControl;
import makemore.train.TrainResult;
import makemore.train.Trainer;

/**
 * The bench's parts for lecture 3 and 5: BatchNorm MLP against the plain one at equal steps, the WaveNet's dev and
 * time, and what measuring layer health costs a run.
 */
final class DeepBench {
    private DeepBench() {}

    /**
     * The lecture recipe with and without BatchNorm (Kaiming init both), same steps, seed and learning rates, at the
     * lecture's batch of 32 and at 64: a batch's statistics are the noise BatchNorm trains with, and at 32 that noise
     * costs more than it regularises on these names (dev 0.002-0.008 behind over six seeds), at 64 less.
     */
    static void batchNorm(Corpus corpus, String dataset, int steps, PrintStream out, Map<String, Object> result) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (int batch : new int[] {32, 64}) {
            double[] dev = new double[2];
            for (boolean bn : new boolean[] {false, true}) {
                RunConfig cfg = RunConfig.fromJson(Recipes.LECTURE).with("dataset", dataset).with("steps", steps)
                        .with("evalEvery", steps).with("sampleEvery", 0).with("batchnorm", bn).with("batch", batch);
                Run run = train(cfg, corpus);
                dev[bn ? 1 : 0] = run.result.dev();
                out.printf(Locale.ROOT, "mlp lecture recipe, batch %d, %s, %d steps: train %.4f dev %.4f | %.0f steps/s"
                        + " | %.1f s%n", batch, bn ? "batchnorm + kaiming" : "plain (kaiming)", run.result.steps(),
                        run.result.train(), run.result.dev(), run.result.stepsPerSec(), run.result.seconds());
                r.put((bn ? "batchnorm" : "plain") + batch, Map.of("dev", run.result.dev(), "train",
                        run.result.train(), "stepsPerSec", run.result.stepsPerSec(), "seconds", run.result.seconds()));
            }
            out.printf(Locale.ROOT, "batch %d: batchnorm dev minus plain dev = %+.4f (negative: batchnorm better)%n",
                    batch, dev[1] - dev[0]);
        }
        result.put("batchnorm", r);
    }

    /** Lecture 5's WaveNet with its own defaults (block 8, 24, 128; lr 0.1 then 0.01 at 3/4), {@code steps} steps. */
    static void waveNet(Corpus corpus, String dataset, int steps, PrintStream out, Map<String, Object> result) {
        RunConfig cfg = RunConfig.fromJson("{\"model\":\"wavenet\"}").with("dataset", dataset).with("steps", steps)
                .with("evalEvery", Math.max(1, steps / 10)).with("sampleEvery", 0);
        Run run = train(cfg, corpus);
        out.printf(Locale.ROOT, "wavenet (lecture 5), %d steps: train %.4f dev %.4f | %.0f steps/s | %.1f s wall"
                + " (training %.1f s)%n", run.result.steps(), run.result.train(), run.result.dev(),
                run.result.stepsPerSec(), run.result.seconds(), run.result.steps() / run.result.stepsPerSec());
        result.put("wavenet", Map.of("steps", run.result.steps(), "train", run.result.train(), "dev",
                run.result.dev(), "stepsPerSec", run.result.stepsPerSec(), "seconds", run.result.seconds()));
    }

    /**
     * The time layer health takes (one forward and backward at step 0 and at each evaluation) as a share of the
     * training steps' time, for the MLP, the WaveNet and the transformer at their default evaluation intervals.
     */
    static void health(Corpus corpus, String dataset, PrintStream out, Map<String, Object> result) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (String json : new String[] {"{\"model\":\"mlp\",\"steps\":20000}",
                "{\"model\":\"mlp\",\"batchnorm\":true,\"steps\":5000}",
                "{\"model\":\"wavenet\",\"steps\":5000,\"evalEvery\":1000}",
                "{\"model\":\"transformer\",\"steps\":1000}"}) {
            RunConfig cfg = RunConfig.fromJson(json).with("dataset", dataset).with("sampleEvery", 0);
            Run run = train(cfg, corpus);
            double trainSeconds = run.result.steps() / run.result.stepsPerSec();
            double healthSeconds = run.healthNanos / 1e9;
            double share = 100 * healthSeconds / trainSeconds;
            String name = Models.validate(cfg).model() + (Boolean.TRUE.equals(cfg.batchnorm()) ? "+batchnorm" : "");
            out.printf(Locale.ROOT, "layer health, %s, %d steps, evaluated every %d: %.3f s measuring vs %.2f s training"
                    + " = %.2f%%%n", name, run.result.steps(), Models.validate(cfg).evalEvery(), healthSeconds, trainSeconds,
                    share);
            r.put(name, Map.of("healthSeconds", healthSeconds, "trainSeconds", trainSeconds, "percent", share));
        }
        result.put("health", r);
    }

    private record Run(TrainResult result, long healthNanos) {}

    private static Run train(RunConfig cfg, Corpus corpus) {
        RunConfig c = Models.validate(cfg);
        try (LanguageModel m = Models.create(c, corpus)) {
            Trainer t = new Trainer(c, corpus, m, new RunControl(), e -> {});
            TrainResult r = t.run();
            return new Run(r, t.healthNanos());
        }
    }
}
