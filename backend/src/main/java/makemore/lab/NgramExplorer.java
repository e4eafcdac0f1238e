package makemore.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import makemore.data.Corpus;
import makemore.model.CountNgram;
import makemore.model.Models;
import makemore.config.ConfigException;
import makemore.config.RunConfig;

/**
 * Count models answered from cached counts, so a smoothing slider can re-score on every move. Building and scoring
 * run as one {@link BoundedJob}: off the request threads, one at a time (a request waits up to 3 s for the one before
 * it, then gets a 429), within {@link Models#checkFits}'s memory limit, and stopped when the client leaves. A few
 * recent tables stay cached.
 */
public final class NgramExplorer implements AutoCloseable {
    private static final int CACHED = 6;

    private final DatasetLibrary datasets;
    private final BoundedJob job = new BoundedJob("count table", 3000);
    /** Tables by dataset and context, most recently used last; touched only on the job's one worker. */
    private final Map<String, CountNgram> cache = new LinkedHashMap<>(8, 0.75f, true);

    public NgramExplorer(DatasetLibrary datasets) {
        this.datasets = datasets;
    }

    private CountNgram table(RunConfig cfg, Corpus corpus) {
        String key = cfg.dataset() + "/" + cfg.context();
        CountNgram t = cache.get(key);
        if (t == null) {
            t = (CountNgram) Models.create(cfg, corpus);
            cache.put(key, t);
            while (cache.size() > CACHED) {
                cache.remove(cache.keySet().iterator().next());
            }
        }
        return t;
    }

    @Override
    public void close() {
        job.close();
    }

    public Map<String, Object> score(String dataset, int context, double smoothing) {
        return score(dataset, context, smoothing, 0.75, () -> false);
    }

    public Map<String, Object> score(String dataset, int context, double smoothing, double discount) {
        return score(dataset, context, smoothing, discount, () -> false);
    }

    /**
     * Add-k with {@code smoothing} (its samples and counts), and next to it interpolated Kneser-Ney with
     * {@code discount} on the same counts, so a dev-vs-context plot can draw both.
     */
    public Map<String, Object> score(String dataset, int context, double smoothing, double discount,
            BooleanSupplier clientGone) {
        RunConfig asked = RunConfig.fromJson("{\"model\":\"ngram\"}").with("dataset", dataset == null ? "names" : dataset)
                .with("context", context).with("smoothing", smoothing).with("discount", discount);
        RunConfig cfg = Models.validate(asked); // add-k: checks smoothing (a stored add-k config drops discount)
        RunConfig knCfg = Models.validate(asked.with("method", CountNgram.KNESER_NEY)); // checks the discount
        // loading an uploaded corpus is work too, so it runs in the job
        return job.run(() -> scores(cfg, knCfg, smoothing, discount), clientGone);
    }

    private Map<String, Object> scores(RunConfig cfg, RunConfig knCfg, double smoothing, double discount) {
        Corpus corpus;
        try {
            corpus = datasets.corpus(cfg.dataset());
        } catch (makemore.data.DatasetException e) {
            throw new ConfigException("dataset", e.getMessage());
        }
        // the count table's memory with Kneser-Ney's shorter-context tables, before anything is built
        Models.checkFits(knCfg, corpus);
        int context = cfg.context();
        CountNgram base = table(cfg, corpus);
        CountNgram m = base.withSmoothing(smoothing);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", cfg.dataset());
        out.put("context", context);
        out.put("smoothing", smoothing);
        out.put("train", m.nll(Corpus.Part.TRAIN));
        out.put("dev", m.nll(Corpus.Part.DEV));
        CountNgram kn = base.withKneserNey(discount);
        Map<String, Object> knScores = new LinkedHashMap<>();
        knScores.put("discount", discount);
        knScores.put("train", kn.nll(Corpus.Part.TRAIN));
        knScores.put("dev", kn.nll(Corpus.Part.DEV));
        out.put("kneserNey", knScores);
        out.put("vocab", corpus.vocab().symbols());
        out.put("samples", m.sample(10, 1.0, new Random(42)).stream().map(s -> {
            Corpus.Part seen = corpus.seenIn(s);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("text", s);
            o.put("seen", seen == null ? null : seen.label());
            return o;
        }).toList());
        out.put("counts", context == 1 ? m.bigramCounts() : List.of());
        return out;
    }
}
