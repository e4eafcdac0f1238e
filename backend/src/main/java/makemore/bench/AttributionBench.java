package makemore.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.model.Attribution;
import makemore.model.LanguageModel;
import makemore.model.Models;
import makemore.model.Sampler;

/**
 * The server-side cost of one explanation, attention map and influence answer (issue 17: at most 50, 50 and 200 ms
 * warm) at each model's default sizes and the longest text its block takes, the worst case; and what hovering
 * names costs a training run. The parameters are freshly initialised: trained ones cost the same passes.
 */
final class AttributionBench {
    private static final int WARM = 5;
    private static final int TIMED = 30;

    private AttributionBench() {}

    static void run(Corpus corpus, String dataset, PrintStream out, Map<String, Object> result) {
        Map<String, Object> ms = new LinkedHashMap<>();
        for (String model : new String[] {"transformer", "gru", "mlp", "wavenet"}) {
            RunConfig cfg = Models.resolve(RunConfig.fromJson("{\"model\":\"" + model + "\"}").with("dataset", dataset));
            try (LanguageModel m = Models.create(cfg, corpus)) {
                String t = longest(corpus, m.maxChars());
                double x = medianMs(() -> Sampler.explain(m, t));
                ms.put("explain " + model, x);
                out.printf(Locale.ROOT, "explain, %s (defaults, %d characters): %.2f ms median warm%n", model,
                        t.length(), x);
                if (model.equals("transformer")) {
                    double a = medianMs(() -> Attribution.attention(m, t));
                    ms.put("attention " + model, a);
                    out.printf(Locale.ROOT, "attention, %s (defaults, %d characters): %.2f ms median warm%n", model,
                            t.length(), a);
                }
                double f = medianMs(() -> Attribution.influence(m, t, null));
                ms.put("influence " + model, f);
                out.printf(Locale.ROOT, "influence, %s (defaults, %d characters): %.2f ms median warm%n", model,
                        t.length(), f);
            }
        }
        result.put("attributionMs", ms);
        hover(corpus, dataset, out, result);
    }

    /**
     * What hovering costs a training run: an MLP trains 20,000 steps on its own thread, alone and then while another
     * thread explains 20 dev names on a transformer (the costliest explanation), one every 50 ms (20 a second, faster
     * than a person moves a mouse), in interleaved pairs; the headline is the median of the pairs' steps/s ratios.
     */
    private static void hover(Corpus corpus, String dataset, PrintStream out, Map<String, Object> result) {
        RunConfig cfg = Models.validate(RunConfig.fromJson("{\"model\":\"mlp\",\"evalEvery\":20000}")
                .with("dataset", dataset));
        java.util.List<String> names = corpus.words(Corpus.Part.DEV).subList(0, 20);
        double[] ratios = new double[5];
        RunConfig explained = Models.validate(RunConfig.fromJson("{\"model\":\"transformer\"}").with("dataset", dataset));
        try (LanguageModel shown = Models.create(explained, corpus)) {
            for (int pair = 0; pair < ratios.length; pair++) {
                double alone = makemore.lab.TrainingRun.of(cfg, corpus).run().stepsPerSec();
                java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
                int[] hovers = {0};
                Thread hovering = new Thread(() -> {
                    while (!done.get()) {
                        Sampler.explain(shown, names.get(hovers[0]++ % names.size()));
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "hover");
                hovering.start();
                double hovered;
                try {
                    hovered = makemore.lab.TrainingRun.of(cfg, corpus).run().stepsPerSec();
                } finally {
                    done.set(true);
                }
                try {
                    hovering.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ratios[pair] = hovered / alone;
                out.printf(Locale.ROOT, "hover pair %d: mlp alone %.0f steps/s, while %d explains ran %.0f steps/s%n",
                        pair + 1, alone, hovers[0], hovered);
            }
        }
        Arrays.sort(ratios);
        out.printf(Locale.ROOT, "training while names are hovered: %.1f%% of its steps/s alone (median of 5 pairs)%n",
                100 * ratios[2]);
        result.put("hoverRatio", ratios[2]);
    }

    /** The longest training item that fits the model: attention and influence cost most there. */
    private static String longest(Corpus corpus, int maxChars) {
        String best = "";
        for (String w : corpus.words(Corpus.Part.TRAIN)) {
            int n = w.codePointCount(0, w.length());
            if (n <= maxChars && n > best.codePointCount(0, best.length())) {
                best = w;
            }
        }
        return best;
    }

    private static double medianMs(Runnable call) {
        for (int i = 0; i < WARM; i++) {
            call.run();
        }
        double[] t = new double[TIMED];
        for (int i = 0; i < TIMED; i++) {
            long t0 = System.nanoTime();
            call.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[TIMED / 2];
    }
}
