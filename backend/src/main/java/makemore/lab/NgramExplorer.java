package makemore.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import makemore.data.Corpus;
import makemore.model.CountNgram;
import makemore.model.Models;
import makemore.config.ConfigException;
import makemore.config.RunConfig;

/**
 * Count models answered from cached counts, so a smoothing slider can re-score on every move. Tables are built
 * off the request threads, one at a time, within {@link Models#checkFits}'s memory limit; a few recent ones stay
 * cached.
 */
public final class NgramExplorer implements AutoCloseable {
    private static final int CACHED = 6;

    private final DatasetLibrary datasets;
    private final Map<String, Future<CountNgram>> cache = new LinkedHashMap<>(8, 0.75f, true);
    private final ThreadPoolExecutor builder = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(4), r -> {
                Thread t = new Thread(r, "count-tables");
                t.setDaemon(true);
                return t;
            });

    public NgramExplorer(DatasetLibrary datasets) {
        this.datasets = datasets;
    }

    private CountNgram table(RunConfig cfg, Corpus corpus) {
        String key = cfg.dataset() + "/" + cfg.context();
        Future<CountNgram> f;
        synchronized (cache) {
            f = cache.get(key);
            if (f == null) {
                try {
                    f = builder.submit(() -> (CountNgram) Models.create(cfg, corpus));
                } catch (RejectedExecutionException e) {
                    throw new LabException(429, "count tables are being built for other requests; try again shortly");
                }
                cache.put(key, f);
                while (cache.size() > CACHED) {
                    cache.remove(cache.keySet().iterator().next());
                }
            }
        }
        try {
            return f.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            synchronized (cache) {
                cache.remove(key, f);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable c = e.getCause() != null ? e.getCause() : e;
            if (c instanceof RuntimeException r && !(e instanceof TimeoutException)) {
                throw r;
            }
            throw new LabException(503, "the count table could not be built ("
                    + (c instanceof OutOfMemoryError ? "out of memory" : "took too long") + ")");
        }
    }

    @Override
    public void close() {
        builder.shutdownNow();
    }

    public Map<String, Object> score(String dataset, int context, double smoothing) {
        return score(dataset, context, smoothing, 0.75);
    }

    /**
     * Add-k with {@code smoothing} (its samples and counts), and next to it interpolated Kneser-Ney with
     * {@code discount} on the same counts, so a dev-vs-context plot can draw both.
     */
    public Map<String, Object> score(String dataset, int context, double smoothing, double discount) {
        RunConfig asked = RunConfig.fromJson("{\"model\":\"ngram\"}").with("dataset", dataset == null ? "names" : dataset)
                .with("context", context).with("smoothing", smoothing).with("discount", discount);
        RunConfig cfg = Models.validate(asked); // add-k: checks smoothing (a stored add-k config drops discount)
        RunConfig knCfg = Models.validate(asked.with("method", CountNgram.KNESER_NEY)); // checks the discount
        Corpus corpus;
        try {
            corpus = datasets.corpus(cfg.dataset());
        } catch (makemore.data.DatasetException e) {
            throw new ConfigException("dataset", e.getMessage());
        }
        // the count table's memory with Kneser-Ney's shorter-context tables, before anything is built
        Models.checkFits(knCfg, corpus);
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
