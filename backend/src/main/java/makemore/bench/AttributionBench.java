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

/**
 * The server-side cost of one attention map and one influence answer (issue 17: at most 50 and 200 ms warm), at
 * each model's default sizes and the longest text its block takes, the worst case for both. The parameters are
 * freshly initialised: trained ones cost the same passes.
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
