package makemore.model;

import makemore.model.count.KneserNey;
import makemore.model.count.NgramTable;
import makemore.event.EmbeddingPoint;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import makemore.data.Contexts;
import makemore.data.Corpus;
import makemore.data.Vocabulary;
import makemore.config.FieldSpec;
import makemore.config.Fields;
import makemore.config.RunConfig;

/**
 * The counting model of lecture 1: P(next | previous n characters) = (count + k) / (row total + k V), or
 * interpolated Kneser-Ney ({@link KneserNey}) which backs off to shorter contexts instead of to the uniform
 * distribution, so long contexts stay usable. Counts are taken once; scoring with another k or discount walks only
 * the distinct pairs of a split, so a slider can re-score on every move.
 */
public final class CountNgram implements LanguageModel {
    private final Corpus corpus;
    private final int vocab;
    private final int block;
    private final double smoothing;
    private final boolean kneserNey;
    private final double discount;
    private final NgramTable train;
    private final KneserNey[] kn; // built on first use, shared by every copy of these counts
    private final Map<Corpus.Part, Scored> parts = new EnumMap<>(Corpus.Part.class);

    /** One split's distinct (context, next) pairs with how often each occurs there and in train. */
    private record Scored(long tokens, long[] keys, int[] occurrences, int[] trainCount, int[] trainRow) {}

    public static final String ADD_K = "addk";
    public static final String KNESER_NEY = "kneser-ney";

    public static final ModelSpec SPEC = new ModelSpec("ngram", "count n-gram",
            "Counts, smoothed by add-k or interpolated Kneser-Ney. No training: every move of k or of the discount is"
                    + " scored at once. Train stores it as a run.",
            false,
            Fields.with(List.of(Fields.context(1, 5, "characters of context (1 = bigram)"),
                    FieldSpec.choice("method", "smoothing method", ADD_K, List.of(ADD_K, KNESER_NEY),
                            "add-k: add k to every count; kneser-ney: discount seen counts and back off to shorter"
                                    + " contexts (better at long contexts)"),
                    Fields.smoothing().when("method", ADD_K),
                    FieldSpec.real("discount", "KN discount", 0.75, 0, 1, "lin",
                            "taken off every seen count and given to the shorter context").openMin()
                            .when("method", KNESER_NEY))),
            CountNgram::new, CountNgram::cost, null);

    /**
     * Memory: distinct (context, next) pairs: at most one per token, at most V^(context+1); ~100 bytes each in maps.
     * Kneser-Ney adds three maps per shorter order, each no larger. No steps; its one evaluation counts every token
     * into those maps and scores train and dev (map work, counted as element-wise work of ~50 per token and map).
     */
    static Cost cost(RunConfig cfg, Corpus corpus) {
        double table = Math.pow(corpus.vocab().size(), cfg.context() + 1);
        long maps = KNESER_NEY.equals(cfg.method()) ? 1 + 3L * cfg.context() : 1;
        Cost.Work eval = new Cost.Work(0, 50.0 * maps * corpus.tokens(), 0);
        return new Cost(100L * maps * (long) Math.min(corpus.tokens(), table), Cost.Work.NONE, eval);
    }

    public CountNgram(RunConfig cfg, Corpus corpus) {
        this.corpus = corpus;
        this.vocab = corpus.vocab().size();
        this.block = cfg.context();
        this.kneserNey = KNESER_NEY.equals(cfg.method());
        this.smoothing = cfg.smoothing() == null ? 1.0 : cfg.smoothing();
        this.discount = cfg.discount() == null ? 0.75 : cfg.discount();
        this.train = new NgramTable(corpus.contexts(Corpus.Part.TRAIN, block), vocab);
        this.kn = new KneserNey[1];
    }

    /** The same counts with add-k smoothing {@code k}: shares nothing mutable, costs nothing to make. */
    public CountNgram withSmoothing(double k) {
        return new CountNgram(this, false, k, discount);
    }

    /** The same counts under interpolated Kneser-Ney with discount {@code d} in (0, 1]. */
    public CountNgram withKneserNey(double d) {
        if (!(d > 0 && d <= 1)) {
            throw new IllegalArgumentException("the Kneser-Ney discount must be in (0, 1], got " + d);
        }
        return new CountNgram(this, true, smoothing, d);
    }

    private CountNgram(CountNgram from, boolean kneserNey, double smoothing, double discount) {
        this.corpus = from.corpus;
        this.vocab = from.vocab;
        this.block = from.block;
        this.kneserNey = kneserNey;
        this.smoothing = smoothing;
        this.discount = discount;
        this.train = from.train;
        this.kn = from.kn;
        Map<Corpus.Part, Scored> parts = from.parts;
        synchronized (parts) {
            for (Corpus.Part p : Corpus.Part.values()) {
                this.parts.put(p, scored(p, parts));
            }
        }
    }

    private Scored scored(Corpus.Part part, Map<Corpus.Part, Scored> cache) {
        return cache.computeIfAbsent(part, p -> {
            NgramTable t = p == Corpus.Part.TRAIN ? train
                    : new NgramTable(corpus.contexts(p, block), vocab);
            int n = t.pairs.size();
            long[] keys = new long[n];
            int[] occ = new int[n];
            int[] cnt = new int[n];
            int[] row = new int[n];
            int i = 0;
            for (Map.Entry<Long, Integer> e : t.pairs.entrySet()) {
                long key = e.getKey();
                keys[i] = key;
                occ[i] = e.getValue();
                cnt[i] = train.pairs.getOrDefault(key, 0);
                row[i] = train.rowTotal(key / vocab);
                i++;
            }
            return new Scored(t.tokens, keys, occ, cnt, row);
        });
    }

    public int context() {
        return block;
    }

    public double smoothing() {
        return smoothing;
    }

    /** {@link #KNESER_NEY} or {@link #ADD_K}. */
    public String method() {
        return kneserNey ? KNESER_NEY : ADD_K;
    }

    private KneserNey kn() {
        synchronized (kn) {
            if (kn[0] == null) {
                kn[0] = new KneserNey(train, block);
            }
            return kn[0];
        }
    }

    @Override
    public boolean trainable() {
        return false;
    }

    @Override
    public void step(double lr) {
        throw new UnsupportedOperationException("a count model is fitted by counting, not by steps");
    }

    @Override
    public double drainLoss() {
        return Double.NaN;
    }

    /** Infinite when k = 0 and the split has a pair never seen in train (its probability is zero). */
    @Override
    public double nll(Corpus.Part part) {
        Scored s;
        synchronized (parts) {
            s = scored(part, parts);
        }
        if (kneserNey) {
            KneserNey model = kn();
            double total = 0;
            for (int i = 0; i < s.keys.length; i++) {
                total -= s.occurrences[i] * Math.log(model.probability(s.keys[i] / vocab, (int) (s.keys[i] % vocab),
                        discount));
            }
            return total / s.tokens;
        }
        double kv = smoothing * vocab;
        double total = 0;
        for (int i = 0; i < s.occurrences.length; i++) {
            double p = (s.trainCount[i] + smoothing) / (s.trainRow[i] + kv);
            if (!(p > 0)) {
                return Double.POSITIVE_INFINITY;
            }
            total -= s.occurrences[i] * Math.log(p);
        }
        return total / s.tokens;
    }

    /** P(next | context) with this model's smoothing; add-k: uniform for a context never seen when k > 0. */
    double probability(long context, int next) {
        if (kneserNey) {
            return kn().probability(context, next, discount);
        }
        int row = train.rowTotal(context);
        double denom = row + smoothing * vocab;
        return denom > 0 ? (train.count(context, next) + smoothing) / denom : 0;
    }

    @Override
    public Vocabulary vocab() {
        return corpus.vocab();
    }

    @Override
    public double[] nextLogProbs(int[][] prefixes) {
        Contexts ctx = Contexts.after(prefixes, block);
        double[] out = new double[prefixes.length * vocab];
        for (int i = 0; i < prefixes.length; i++) {
            long c = NgramTable.context(ctx, i, vocab);
            for (int j = 0; j < vocab; j++) {
                out[i * vocab + j] = Math.log(probability(c, j));
            }
        }
        return out;
    }

    /** Bigram counts N[previous][next] (context 1 only), the lecture's 27 x 27 picture. */
    public int[][] bigramCounts() {
        if (block != 1) {
            throw new IllegalStateException("the count matrix is drawn for context 1 only");
        }
        int[][] m = new int[vocab][vocab];
        for (int a = 0; a < vocab; a++) {
            for (int b = 0; b < vocab; b++) {
                m[a][b] = train.count(a, b);
            }
        }
        return m;
    }

    @Override
    public List<EmbeddingPoint> embedding() {
        return List.of();
    }

    @Override
    public void save(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(vocab);
            out.writeInt(block);
            out.writeInt(train.pairs.size());
            for (Map.Entry<Long, Integer> e : train.pairs.entrySet()) {
                out.writeLong(e.getKey());
                out.writeInt(e.getValue());
            }
        }
    }

    /** Counts are a pure function of the train split; this checks the file matches them. */
    @Override
    public void restore(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            if (in.readInt() != vocab || in.readInt() != block || in.readInt() != train.pairs.size()) {
                throw new IOException(file + " holds counts of another dataset or context");
            }
        }
    }

    @Override
    public void close() {}
}
