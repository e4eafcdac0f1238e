package makemore.model;

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
import makemore.train.Fields;
import makemore.train.RunConfig;

/**
 * The counting model of lecture 1: P(next | previous n characters) = (count + k) / (row total + k V).
 * Counts are taken once; scoring with another k walks only the distinct pairs of a split, so a smoothing slider
 * can re-score on every move.
 */
public final class CountNgram implements LanguageModel {
    private final Corpus corpus;
    private final int vocab;
    private final int block;
    private final double smoothing;
    private final NgramTable train;
    private final Map<Corpus.Part, Scored> parts = new EnumMap<>(Corpus.Part.class);

    /** One split's distinct (context, next) pairs with how often each occurs there and in train. */
    private record Scored(long tokens, int[] occurrences, int[] trainCount, int[] trainRow) {}

    public static final ModelSpec SPEC = new ModelSpec("ngram", "count n-gram",
            "Counts with add-k smoothing. No training: every move of k is scored at once. Train stores it as a run.",
            false,
            Fields.with(List.of(Fields.context(1, 5, "characters of context (1 = bigram)"), Fields.smoothing())),
            CountNgram::new, CountNgram::bytes, null);

    /** Distinct (context, next) pairs: at most one per token, at most V^(context+1); ~100 bytes each in maps. */
    static long bytes(RunConfig cfg, Corpus corpus) {
        double table = Math.pow(corpus.vocab().size(), cfg.context() + 1);
        return 100L * (long) Math.min(corpus.tokens(), table);
    }

    public CountNgram(RunConfig cfg, Corpus corpus) {
        this(corpus, cfg.context(), cfg.smoothing());
    }

    private CountNgram(Corpus corpus, int block, double smoothing) {
        this.corpus = corpus;
        this.vocab = corpus.vocab().size();
        this.block = block;
        this.smoothing = smoothing;
        this.train = new NgramTable(Contexts.of(corpus.words(Corpus.Part.TRAIN), corpus.vocab(), block), vocab);
    }

    /** The same counts under another smoothing: shares nothing mutable, costs nothing to make. */
    public CountNgram withSmoothing(double k) {
        return new CountNgram(corpus, block, k, train, parts);
    }

    private CountNgram(Corpus corpus, int block, double smoothing, NgramTable train, Map<Corpus.Part, Scored> parts) {
        this.corpus = corpus;
        this.vocab = corpus.vocab().size();
        this.block = block;
        this.smoothing = smoothing;
        this.train = train;
        synchronized (parts) {
            for (Corpus.Part p : Corpus.Part.values()) {
                this.parts.put(p, scored(p, parts));
            }
        }
    }

    private Scored scored(Corpus.Part part, Map<Corpus.Part, Scored> cache) {
        return cache.computeIfAbsent(part, p -> {
            NgramTable t = p == Corpus.Part.TRAIN ? train
                    : new NgramTable(Contexts.of(corpus.words(p), corpus.vocab(), block), vocab);
            int n = t.pairs.size();
            int[] occ = new int[n];
            int[] cnt = new int[n];
            int[] row = new int[n];
            int i = 0;
            for (Map.Entry<Long, Integer> e : t.pairs.entrySet()) {
                long key = e.getKey();
                occ[i] = e.getValue();
                cnt[i] = train.pairs.getOrDefault(key, 0);
                row[i] = train.rowTotal(key / vocab);
                i++;
            }
            return new Scored(t.tokens, occ, cnt, row);
        });
    }

    public int context() {
        return block;
    }

    public double smoothing() {
        return smoothing;
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

    /** P(next | context) with this model's smoothing; uniform for a context never seen when k > 0. */
    private double probability(long context, int next) {
        int row = train.rowTotal(context);
        double denom = row + smoothing * vocab;
        return denom > 0 ? (train.count(context, next) + smoothing) / denom : 0;
    }

    @Override
    public List<String> sample(int n, double temperature, Random rng) {
        List<String> out = new ArrayList<>(n);
        float[] row = new float[vocab];
        long mod = (long) Math.pow(vocab, block);
        for (int s = 0; s < n; s++) {
            StringBuilder sb = new StringBuilder();
            long ctx = 0;
            for (int pos = 0; pos < Sampling.MAX_LENGTH; pos++) {
                for (int j = 0; j < vocab; j++) {
                    row[j] = (float) Math.pow(probability(ctx, j), 1.0 / temperature);
                }
                int next = Sampling.draw(row, 0, vocab, rng);
                if (next == 0) {
                    break;
                }
                sb.append(corpus.vocab().symbol(next));
                ctx = (ctx * vocab + next) % mod;
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Override
    public double[] probabilities(String word) {
        Sampling.requireKnown(corpus.vocab(), word);
        Contexts ctx = Contexts.of(List.of(word), corpus.vocab(), block);
        double[] p = new double[ctx.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = probability(NgramTable.context(ctx, i, vocab), ctx.y()[i]);
        }
        return p;
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
