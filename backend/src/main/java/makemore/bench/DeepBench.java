package makemore.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import makemore.lab.TrainingRun;
import makemore.data.Corpus;
import makemore.model.Models;
import makemore.config.Recipes;
import makemore.config.RunConfig;
import makemore.train.TrainResult;

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
                TrainResult run = train(cfg, corpus);
                dev[bn ? 1 : 0] = run.dev();
                out.printf(Locale.ROOT, "mlp lecture recipe, batch %d, %s, %d steps: train %.4f dev %.4f | %.0f steps/s"
                        + " | %.1f s%n", batch, bn ? "batchnorm + kaiming" : "plain (kaiming)", run.steps(),
                        run.train(), run.dev(), run.stepsPerSec(), run.seconds());
                r.put((bn ? "batchnorm" : "plain") + batch, Map.of("dev", run.dev(), "train",
                        run.train(), "stepsPerSec", run.stepsPerSec(), "seconds", run.seconds()));
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
        TrainResult run = train(cfg, corpus);
        out.printf(Locale.ROOT, "wavenet (lecture 5), %d steps: train %.4f dev %.4f | %.0f steps/s | %.1f s wall"
                + " (training %.1f s)%n", run.steps(), run.train(), run.dev(),
                run.stepsPerSec(), run.seconds(), run.steps() / run.stepsPerSec());
        result.put("wavenet", Map.of("steps", run.steps(), "train", run.train(), "dev",
                run.dev(), "stepsPerSec", run.stepsPerSec(), "seconds", run.seconds()));
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
            TrainResult run = train(cfg, corpus);
            double trainSeconds = run.steps() / run.stepsPerSec();
            double healthSeconds = run.healthSeconds();
            double share = 100 * healthSeconds / trainSeconds;
            String name = Models.validate(cfg).model() + (Boolean.TRUE.equals(cfg.batchnorm()) ? "+batchnorm" : "");
            out.printf(Locale.ROOT, "layer health, %s, %d steps, evaluated every %d: %.3f s measuring vs %.2f s training"
                    + " = %.2f%%%n", name, run.steps(), Models.validate(cfg).evalEvery(), healthSeconds, trainSeconds,
                    share);
            r.put(name, Map.of("healthSeconds", healthSeconds, "trainSeconds", trainSeconds, "percent", share));
        }
        result.put("health", r);
    }

    private static TrainResult train(RunConfig cfg, Corpus corpus) {
        return TrainingRun.of(Models.validate(cfg), corpus).run();
    }
}
