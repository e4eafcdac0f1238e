package makemore.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import makemore.data.Corpus;
import makemore.model.LanguageModel;
import makemore.model.Models;
import makemore.store.ParamStore;
import makemore.store.RunRecord;
import makemore.config.ConfigException;
import makemore.event.RunEvent;
import makemore.event.RunStatus;

/**
 * What a run's saved (best-dev) parameters answer after training: samples, a word's probabilities, the test loss.
 * A few models stay loaded, least recently used first out, because the page probes one run many times in a row;
 * a newer checkpoint file is a new key, so a probe never sees parameters older than the file.
 */
final class SavedModels implements AutoCloseable {
    private static final int KEEP = 4;

    private final DatasetLibrary datasets;
    private final Path dir;
    private final ParamStore store;
    private final Map<String, LanguageModel> loaded = new LinkedHashMap<>(8, 0.75f, true);

    SavedModels(DatasetLibrary datasets, Path dir, ParamStore store) {
        this.datasets = datasets;
        this.dir = dir;
        this.store = store;
    }

    Path file(String id) {
        return Checkpoints.file(dir, id);
    }

    double testLoss(RunRecord r) {
        return withModel(r, m -> m.nll(Corpus.Part.TEST));
    }

    List<RunEvent.Sample> samples(RunRecord r, int n, double temperature, long seed) {
        Corpus corpus = datasets.corpus(r.config().dataset());
        List<String> names = withModel(r, m -> m.sample(n, temperature, new Random(seed)));
        List<RunEvent.Sample> out = new ArrayList<>();
        for (String s : names) {
            Corpus.Part seen = corpus.seenIn(s);
            out.add(new RunEvent.Sample(s, seen == null ? null : seen.label()));
        }
        return out;
    }

    RunInsights.Probe probe(RunRecord r, String word) {
        String w = word == null ? "" : word.strip();
        double[] p;
        try {
            p = withModel(r, m -> m.probabilities(w));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("word", e.getMessage());
        }
        List<Map<String, Object>> chars = new ArrayList<>();
        int[] cps = w.codePoints().toArray();
        double nll = 0;
        for (int i = 0; i < p.length; i++) {
            String ch = i < cps.length ? new String(Character.toChars(cps[i])) : ".";
            chars.add(Map.of("ch", ch, "p", p[i]));
            nll -= Math.log(p[i]);
        }
        return new RunInsights.Probe(w, chars, nll / p.length);
    }

    /** Every position's next-character distribution for {@code text}, from the run's saved parameters. */
    makemore.model.Sampler.Explanation explain(RunRecord r, String text) {
        String t = text == null ? "" : text.strip();
        try {
            return withModel(r, m -> makemore.model.Sampler.explain(m, t));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("text", e.getMessage());
        }
    }

    /** A transformer's attention maps over {@code text}, from the run's saved parameters. */
    makemore.model.Attribution.Attention attention(RunRecord r, String text) {
        return withModel(r, m -> makemore.model.Attribution.attention(m, text));
    }

    /** Each token's influence on the prediction at {@code position} (null: the end), from the saved parameters. */
    makemore.model.Attribution.Influence influence(RunRecord r, String text, Integer position) {
        return withModel(r, m -> makemore.model.Attribution.influence(m, text, position));
    }

    /** Dev NLL by character position (see {@link makemore.model.Sampler#nllByPosition}) from the saved parameters. */
    double[][] devByPosition(RunRecord r) {
        Corpus corpus = datasets.corpus(r.config().dataset());
        return withModel(r, m -> makemore.model.Sampler.nllByPosition(m, corpus.words(Corpus.Part.DEV)));
    }

    /** Closes and forgets every cached model of run {@code id} (cached per parameter file version: id@mtime). */
    void forget(String id) {
        synchronized (loaded) {
            var it = loaded.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                if (e.getKey().startsWith(id + "@")) {
                    e.getValue().close();
                    it.remove();
                }
            }
        }
    }

    private interface ModelUse<T> {
        T apply(LanguageModel m);
    }

    /**
     * Runs {@code use} on the run's saved parameters. A finished count run needs no file: its counts are a pure
     * function of the dataset and config, so they are taken again when the file is absent (runs that ./lab sweep
     * trained on another machine or with another --params-dir, or copied from another lab, come without one).
     */
    private <T> T withModel(RunRecord r, ModelUse<T> use) {
        Path params = file(r.id());
        if (!Files.exists(params) && r.status().terminal()) {
            Checkpoints.fetch(store, dir, r.id()); // trained elsewhere: the run database has its parameters
        }
        boolean exists = Files.exists(params);
        boolean recount = !exists && r.status() == RunStatus.FINISHED && !Models.spec(r.config().model()).trainable();
        if (!exists && !recount) {
            throw LabException.conflict(missing(r));
        }
        synchronized (loaded) {
            String key = r.id() + "@" + (recount ? "counts" : params.toFile().lastModified());
            LanguageModel m = loaded.get(key);
            if (m == null) {
                Corpus corpus = datasets.corpus(r.config().dataset());
                try {
                    m = recount ? CountCache.create(r.config(), corpus) : Models.load(r.config(), corpus, params);
                } catch (IOException e) {
                    throw LabException.conflict("cannot read run " + r.id() + "'s parameters: " + e.getMessage());
                }
                loaded.put(key, m);
                while (loaded.size() > KEEP) {
                    var eldest = loaded.entrySet().iterator().next();
                    eldest.getValue().close();
                    loaded.remove(eldest.getKey());
                }
            }
            return use.apply(m);
        }
    }

    /** Why a run has no parameter file here: not yet, never, or it was written somewhere else. */
    private static String missing(RunRecord r) {
        if (!r.status().terminal()) {
            return "run " + r.id() + " has no saved parameters yet (it is " + r.status().label()
                    + "; parameters are saved at each evaluation)";
        }
        if (r.evals().stream().noneMatch(e -> e.split().equals("dev"))) {
            return "run " + r.id() + " has no saved parameters: it ended (" + r.status().label()
                    + ") before its first dev evaluation";
        }
        return "run " + r.id() + "'s saved parameters are neither in the run database nor in this lab's params"
                + " folder: it was trained elsewhere before runs kept them in the database, or its process ended"
                + " before storing them; copy its file " + r.id() + ".params into the params folder of this lab's"
                + " data directory to sample or test-score it";
    }

    @Override
    public void close() {
        synchronized (loaded) {
            loaded.values().forEach(LanguageModel::close);
            loaded.clear();
        }
    }
}
