package makemore.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import makemore.cli.Cli;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.model.Models;
import makemore.model.autograd.AutogradModel;

/**
 * The lab's side of {@code ./lab bench --transformer}, one fresh JVM per run (so no run is warmed by an earlier
 * one): makemore.py's config, and the loop that makemore_loop.py times on makemore.py's side. The batch is drawn
 * before the clock starts; the clock covers the step (forward, backward, AdamW) and, every 10th step, the loss
 * read-back. Prints a BENCHINFO and a RESULT line of JSON. Arguments: WARM STEPS SEED.
 */
public final class TransformerLoop {
    private TransformerLoop() {}

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        int warm = Integer.parseInt(args[0]);
        int steps = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        Corpus corpus = new Corpus(Cli.dataset("names"));
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"transformer\",\"seed\":" + seed + "}"));
        List<Double> ms = new ArrayList<>(steps);
        double timed = 0;
        double loss = Double.NaN;
        try (var lm = Models.create(cfg, corpus)) {
            AutogradModel m = (AutogradModel) lm;
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("libtorch", Engine.getEngine("PyTorch").getVersion());
            info.put("java", System.getProperty("java.version"));
            info.put("threads", JniUtils.getNumThreads() + " intra-op / " + JniUtils.getNumInteropThreads()
                    + " inter-op");
            info.put("blas", BlasProbe.describe());
            info.put("ldPreload", System.getenv().getOrDefault("LD_PRELOAD", ""));
            System.out.println("BENCHINFO " + Cli.JSON.writeValueAsString(info));
            for (int i = 0; i < warm + steps; i++) {
                m.drawAhead(); // off the clock, as makemore.py's loader is on its side
                long t0 = System.nanoTime();
                m.step(cfg.lr());
                if (i % 10 == 0) {
                    loss = m.drainLoss();
                }
                long dt = System.nanoTime() - t0;
                if (i >= warm) {
                    ms.add(dt / 1e6);
                    timed += dt / 1e9;
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("stepMs", ms);
        result.put("stepsPerSec", steps / timed);
        result.put("lastLoss", loss);
        result.put("setupAndLoopSec", (System.nanoTime() - start) / 1e9);
        System.out.println("RESULT " + Cli.JSON.writeValueAsString(result));
    }
}
