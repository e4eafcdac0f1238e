package makemore.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import makemore.data.Corpus;
import makemore.model.LanguageModel;
import makemore.model.Models;
import makemore.config.Limits;
import makemore.config.RunConfig;

/**
 * The lecture's claim made visible: for one context, dev NLL of the count model against its smoothing k and of
 * the neural n-gram against its L2 strength, both on log grids, with each curve's minimum and the count model's
 * k = 0 dev. Count points come from cached counts; the neural points are short full-batch runs (lr 50), cached per
 * dataset, context, steps and grid.
 */
public final class SmoothingVsL2 implements AutoCloseable {
    private final RunService runs;
    private final Map<String, Map<String, Object>> cache = new ConcurrentHashMap<>();
    private final BoundedJob job = new BoundedJob("smoothing-vs-L2 comparison", 3000);

    public SmoothingVsL2(RunService runs) {
        this.runs = runs;
    }

    /**
     * The comparison, from the cache or computed as a {@link BoundedJob}: one at a time, stopped when
     * {@code clientGone} says the asker left.
     */
    public Map<String, Object> compare(String dataset, int context, int steps, int points,
            java.util.function.BooleanSupplier clientGone) {
        Limits.SMOOTHING_L2_POINTS.check("points", points);
        Limits.SMOOTHING_L2_STEPS.check("steps", steps);
        RunConfig neural = Models.validate(RunConfig.fromJson("{\"model\":\"neural\",\"batch\":0,\"evalEvery\":" + steps + "}")
                .with("dataset", dataset == null ? "names" : dataset).with("context", context).with("steps", steps)); // context limits of the neural n-gram (1..3) apply to both curves
        Corpus corpus = runs.corpus(neural.dataset());
        Models.checkFits(neural, corpus);
        String key = neural.dataset() + "/" + context + "/" + steps + "/" + points;
        Map<String, Object> known = cache.get(key);
        if (known != null) {
            return known;
        }
        Map<String, Object> computed = job.run(() -> compute(neural, corpus, points), clientGone);
        cache.put(key, computed);
        return computed;
    }

    @Override
    public void close() {
        job.close();
    }

    private static Map<String, Object> compute(RunConfig neural, Corpus corpus, int points) {
        RunConfig count = Models.validate(RunConfig.fromJson("{\"model\":\"ngram\"}").with("dataset", neural.dataset())
                .with("context", neural.context()));
        List<Map<String, Object>> kCurve = new ArrayList<>();
        for (double k : logGrid(1e-3, 1e3, points)) {
            BoundedJob.checkStop();
            try (LanguageModel m = CountCache.create(Models.validate(count.with("smoothing", k)), corpus)) {
                kCurve.add(point("k", k, m.nll(Corpus.Part.DEV)));
            }
        }
        double k0;
        try (LanguageModel m = CountCache.create(Models.validate(count.with("smoothing", 0.0)), corpus)) {
            k0 = m.nll(Corpus.Part.DEV);
        }
        List<Map<String, Object>> l2Curve = new ArrayList<>();
        for (double l2 : logGrid(1e-4, 10, points)) {
            RunConfig c = Models.validate(neural.with("l2", l2));
            try (LanguageModel m = Models.create(c, corpus)) {
                for (int s = 0; s < c.steps(); s++) {
                    BoundedJob.checkStop();
                    m.step(c.lr());
                }
                l2Curve.add(point("l2", l2, m.nll(Corpus.Part.DEV)));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", neural.dataset());
        out.put("context", neural.context());
        out.put("count", Map.of("curve", kCurve, "min", min(kCurve, "k"), "k0Dev", k0));
        out.put("neural", Map.of("curve", l2Curve, "min", min(l2Curve, "l2"), "steps", neural.steps(), "lr",
                neural.lr(), "batch", "full"));
        out.put("note", "dev NLL; k0Dev is infinite when a dev n-gram never occurs in train");
        return out;
    }

    private static Map<String, Object> point(String name, double x, double dev) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(name, x);
        m.put("dev", dev);
        return m;
    }

    private static Map<String, Object> min(List<Map<String, Object>> curve, String name) {
        Map<String, Object> best = null;
        for (Map<String, Object> p : curve) {
            double d = (Double) p.get("dev");
            if (Double.isFinite(d) && (best == null || d < (Double) best.get("dev"))) {
                best = p;
            }
        }
        return best;
    }

    static List<Double> logGrid(double lo, double hi, int n) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Math.pow(10, Math.log10(lo) + (Math.log10(hi) - Math.log10(lo)) * i / (n - 1)));
        }
        return out;
    }
}
