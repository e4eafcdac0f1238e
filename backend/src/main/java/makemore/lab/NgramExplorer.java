package makemore.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import makemore.data.Corpus;
import makemore.model.CountNgram;
import makemore.model.Models;
import makemore.train.ConfigException;
import makemore.train.RunConfig;

/** Count models answered from cached counts, so a smoothing slider can re-score on every move. */
public final class NgramExplorer {
    private final DatasetLibrary datasets;
    private final Map<String, CountNgram> cache = new ConcurrentHashMap<>();

    public NgramExplorer(DatasetLibrary datasets) {
        this.datasets = datasets;
    }

    public Map<String, Object> score(String dataset, int context, double smoothing) {
        RunConfig cfg = RunConfig.fromJson("{\"model\":\"ngram\"}").with("dataset", dataset == null ? "names" : dataset)
                .with("context", context).with("smoothing", smoothing).validate();
        Corpus corpus;
        try {
            corpus = datasets.corpus(cfg.dataset());
        } catch (makemore.data.DatasetException e) {
            throw new ConfigException("dataset", e.getMessage());
        }
        CountNgram base = cache.computeIfAbsent(cfg.dataset() + "/" + context,
                k -> (CountNgram) Models.create(cfg, corpus));
        CountNgram m = base.withSmoothing(smoothing);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", cfg.dataset());
        out.put("context", context);
        out.put("smoothing", smoothing);
        out.put("train", m.nll(Corpus.Part.TRAIN));
        out.put("dev", m.nll(Corpus.Part.DEV));
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
