package makemore.lab;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import makemore.data.Corpus;
import makemore.model.CountNgram;
import makemore.model.LanguageModel;
import makemore.model.Models;
import makemore.train.RunConfig;

/**
 * Count models answer from counts taken once per dataset and context: a smoothing sweep's points then cost a
 * re-scoring each, not a recount. Only configs whose fields are all ones {@link CountNgram#withSmoothing} carries
 * (context, smoothing, seed, temperature) are served from here; anything else is built by {@link Models}.
 */
public final class CountCache {
    private static final java.util.Set<String> CARRIED = java.util.Set.of("context", "smoothing", "seed", "temperature");
    private static final Map<Corpus, Map<Integer, CountNgram>> BASES = new WeakHashMap<>();

    private CountCache() {}

    public static LanguageModel create(RunConfig cfg, Corpus corpus) {
        var spec = Models.spec(cfg.model());
        boolean cacheable = !spec.trainable() && spec.name().equals(CountNgram.SPEC.name())
                && spec.fields().stream().allMatch(f -> CARRIED.contains(f.name()));
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
        return base.withSmoothing(cfg.smoothing());
    }
}
