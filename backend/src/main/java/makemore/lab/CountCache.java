package makemore.lab;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import makemore.data.Corpus;
import makemore.model.CountNgram;
import makemore.model.LanguageModel;
import makemore.model.Models;
import makemore.config.RunConfig;

/**
 * Count models answer from counts taken once per dataset and context: a smoothing sweep's points then cost a
 * re-scoring each, not a recount. Only configs whose fields are all ones a copy of the counts carries (context,
 * method, smoothing, discount, seed, temperature) are served from here; anything else is built by {@link Models}.
 */
public final class CountCache {
    private static final java.util.Set<String> CARRIED = java.util.Set.of("context", "method", "smoothing", "discount", "seed",
            "temperature");
    private static final Map<Corpus, Map<Integer, CountNgram>> BASES = new WeakHashMap<>();

    private CountCache() {}

    public static LanguageModel create(RunConfig cfg, Corpus corpus) {
        var spec = Models.spec(cfg.model());
        boolean kneserNey = CountNgram.KNESER_NEY.equals(cfg.method());
        boolean cacheable = !spec.trainable() && spec.name().equals(CountNgram.SPEC.name())
                && spec.fields().stream().allMatch(f -> CARRIED.contains(f.name()))
                && (kneserNey ? cfg.discount() != null : cfg.smoothing() != null); // validated configs have them
        if (!cacheable) {
            return Models.create(cfg, corpus);
        }
        CountNgram base;
        synchronized (BASES) {
            base = BASES.computeIfAbsent(corpus, c -> new HashMap<>()).get(cfg.context());
        }
        if (base == null) {
            base = (CountNgram) Models.create(cfg, corpus);
            synchronized (BASES) {
                BASES.get(corpus).putIfAbsent(cfg.context(), base);
            }
        }
        return kneserNey ? base.withKneserNey(cfg.discount()) : base.withSmoothing(cfg.smoothing());
    }

    /** Whether counts for this dataset and context are held (for tests). */
    static boolean holds(Corpus corpus, int context) {
        synchronized (BASES) {
            Map<Integer, CountNgram> m = BASES.get(corpus);
            return m != null && m.containsKey(context);
        }
    }
}
