package makemore.model;

import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import makemore.data.Contexts;
import makemore.data.Corpus;
import makemore.optim.Optimizer;
import makemore.optim.OptimizerConfig;
import makemore.train.ConfigException;
import makemore.train.FieldSpec;
import makemore.train.RunConfig;

/**
 * Base of the models trained with libtorch autograd: a subclass declares its parameters in its constructor and
 * writes {@link #forward}; this class does the rest of {@link LanguageModel} once (batches, loss, backward,
 * optimizer, evaluation, sampling, probabilities, embedding, checkpoints).
 *
 * <p>Autograd is per thread: DJL's GradientCollector allows one open collector per JVM, so it is not used. Grad
 * mode is switched on for the forward pass on the calling thread only, {@code backward} runs on the loss, and the
 * update runs with grad mode off. Two models on two threads therefore train at the same time, each exactly as it
 * would alone ({@code AutogradConcurrencyTest}). Everything a step allocates lives in the step's NDScope.
 *
 * <p>Two ways to turn items into examples ({@link Layout}): whole items as sequences (makemore.py's transformer
 * and RNNs) or fixed windows of the previous {@code block} characters (the lectures' MLP and WaveNet).
 */
public abstract class AutogradModel implements LanguageModel {

    /** How items become (input, target) examples. */
    protected enum Layout {
        /**
         * Each item as one row: input [0, c1..cn] and targets [c1..cn, 0], padding past the end masked out of the
         * loss; {@link #forward} maps [B, T] ids to [B, T, V] logits, T at most {@code block}. A batch is cut to
         * its longest item + 1: with causal models the padded positions change nothing, so this only saves work.
         */
        SEQUENCE,
        /** Each character with its previous {@code block} characters (left-padded with 0): [B, block] to [B, V]. */
        CONTEXT
    }

    private static final int EVAL_ITEMS = 512;
    private static final int EVAL_ROWS = 8192;

    protected final Corpus corpus;
    protected final int vocab;
    /** Sequence length (SEQUENCE) or context length (CONTEXT). */
    protected final int block;
    protected final PtNDManager manager;
    private final Layout layout;
    private final int batch;
    private final OptimizerConfig optimizerConfig;
    private final Random init;
    private final List<String> names = new ArrayList<>();
    private final List<PtNDArray> params = new ArrayList<>();
    private final int[][] trainItems;
    private final Contexts trainContexts;
    private final PtNDArray lossSum;
    private final PtNDArray one;
    private long lossCount;
    private long rng; // batch sampler state (SplitMix64), checkpointed so a restored run draws the same batches
    private Optimizer optimizer;
    private boolean training;

    protected AutogradModel(Corpus corpus, Layout layout, int block, int batch, long seed, OptimizerConfig optimizer) {
        this.corpus = corpus;
        this.vocab = corpus.vocab().size();
        this.layout = layout;
        this.block = block;
        this.optimizerConfig = optimizer;
        this.init = new Random(seed);
        this.rng = seed * 0x9E3779B97F4A7C15L + 1;
        this.manager = Nd.newManager();
        List<String> train = corpus.words(Corpus.Part.TRAIN);
        if (layout == Layout.SEQUENCE) {
            trainItems = new int[train.size()][];
            for (int i = 0; i < trainItems.length; i++) {
                trainItems[i] = corpus.vocab().encode(train.get(i));
            }
            trainContexts = null;
        } else {
            trainItems = null;
            trainContexts = Contexts.of(train, corpus.vocab(), block);
        }
        this.batch = batch > 0 ? batch : layout == Layout.SEQUENCE ? trainItems.length : trainContexts.size();
        lossSum = keep((PtNDArray) manager.zeros(new Shape()));
        one = keep((PtNDArray) manager.ones(new Shape()));
    }

    // ---- config helpers for subclasses' specs ----

    /** The context field of a sequence model: 0 (the default) means longest item + 1, as makemore.py sets it. */
    protected static FieldSpec sequenceContext() {
        return FieldSpec.integer("context", "block size", 0, 0, MAX_BLOCK, "lin",
                "positions per item: longest item + 1 (0 = exactly that, the default); fewer would cut items, more"
                        + " are never used");
    }

    static final int MAX_BLOCK = 1024;

    /** The longest item of the whole dataset, in characters. */
    static int longestItem(Corpus corpus) {
        int n = 0;
        for (String w : corpus.dataset().words()) {
            n = Math.max(n, w.codePointCount(0, w.length()));
        }
        return n;
    }

    /**
     * A sequence model's block size for this data: longest item + 1. A context other than 0 must equal it: with
     * less an item would not fit, with more the extra positions would never see a target.
     */
    protected static int sequenceBlock(RunConfig cfg, Corpus corpus) {
        int need = longestItem(corpus) + 1;
        int c = cfg.context() == null ? 0 : cfg.context();
        if (c != 0 && c < need) {
            throw new ConfigException("context", "context " + c + " is too short for this dataset: its longest item"
                    + " needs " + need + " positions (longest item + 1; 0 picks that)");
        }
        if (c > need) {
            throw new ConfigException("context", "context " + c + " is beyond the data: the longest item + 1 is "
                    + need + ", so positions past it never see a target; use " + need + " or 0");
        }
        if (need > MAX_BLOCK) {
            throw new ConfigException("context", "this dataset's longest item needs " + need
                    + " positions; sequence models take at most " + MAX_BLOCK);
        }
        return need;
    }

    /** Examples per step: the batch field, 0 meaning the whole training split (items or contexts). */
    protected static long batchRows(RunConfig cfg, long trainExamples) {
        return cfg.batch() == 0 ? trainExamples : cfg.batch();
    }

    /**
     * Logits for a batch of ids: [B, T] to [B, T, V] (SEQUENCE) or [B, block] to [B, V] (CONTEXT). Runs with grad
     * mode on while training; {@link #training()} tells layers such as BatchNorm which mode they are in.
     */
    protected abstract PtNDArray forward(PtNDArray idx);

    /** The token embedding table [V, d] shown on the embedding plot, or null for a model without one. */
    protected PtNDArray tokenEmbedding() {
        return null;
    }

    /** True inside {@link #step}, false while evaluating, sampling or probing. */
    protected final boolean training() {
        return training;
    }

    // ---- parameters, declared by subclasses in their constructors ----

    /** The seeded generator for initial values: declare parameters in a fixed order so a seed means one model. */
    protected final Random init() {
        return init;
    }

    /** Registers a trainable parameter with these initial values. */
    protected final PtNDArray param(String name, float[] values, long... shape) {
        PtNDArray p = keep((PtNDArray) manager.create(values, new Shape(shape)));
        JniUtils.attachGradient(p, true);
        names.add(name);
        params.add(p);
        return p;
    }

    /** U(-1/sqrt(fanIn), 1/sqrt(fanIn)): torch.nn.Linear's default for weights and biases. */
    protected final PtNDArray uniformParam(String name, int fanIn, long... shape) {
        double bound = 1 / Math.sqrt(fanIn);
        float[] v = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((init.nextDouble() * 2 - 1) * bound);
        }
        return param(name, v, shape);
    }

    /** N(0, scale^2): torch.nn.Embedding's default with scale 1. */
    protected final PtNDArray gaussianParam(String name, double scale, long... shape) {
        float[] v = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (init.nextGaussian() * scale);
        }
        return param(name, v, shape);
    }

    protected final PtNDArray constantParam(String name, float value, long... shape) {
        float[] v = new float[Math.toIntExact(new Shape(shape).size())];
        java.util.Arrays.fill(v, value);
        return param(name, v, shape);
    }

    /** A constant the model keeps across steps (a mask, a scale), never closed by a step's scope. */
    protected final PtNDArray constant(float[] values, long... shape) {
        return keep((PtNDArray) manager.create(values, new Shape(shape)));
    }

    private static PtNDArray keep(PtNDArray a) {
        NDScope.unregister(a);
        return a;
    }

    public final List<PtNDArray> parameters() {
        return Collections.unmodifiableList(params);
    }

    public final List<String> parameterNames() {
        return Collections.unmodifiableList(names);
    }

    public final long parameterCount() {
        long n = 0;
        for (PtNDArray p : params) {
            n += p.size();
        }
        return n;
    }

    private Optimizer optimizer() {
        if (optimizer == null) {
            optimizer = Optimizer.create(optimizerConfig, params);
        }
        return optimizer;
    }

    // ---- training ----

    @Override
    public boolean trainable() {
        return true;
    }

    @Override
    public void step(double lr) {
        try (NDScope scope = new NDScope()) {
            Batch b = layout == Layout.SEQUENCE ? sequenceBatch(sampleItems()) : contextBatch(sampleRows());
            PtNDArray loss;
            training = true;
            JniUtils.setGradMode(true);
            try {
                loss = loss(forward(b.x), b);
                JniUtils.backward(loss, one, false, false);
            } finally {
                JniUtils.setGradMode(false);
                training = false;
            }
            JniUtils.addi(lossSum, loss);
            lossCount++;
            List<PtNDArray> grads = new ArrayList<>(params.size());
            for (int i = 0; i < params.size(); i++) {
                PtNDArray g = JniUtils.getGradient(params.get(i));
                if (g == null) {
                    throw new IllegalStateException("parameter " + names.get(i) + " got no gradient");
                }
                grads.add(g);
            }
            double rescale = optimizerConfig.clip() > 0 ? clipScale(grads, optimizerConfig.clip()) : 1;
            optimizer().step(params, grads, lr, rescale);
            for (PtNDArray p : params) {
                JniUtils.zeroGrad(p);
            }
        }
    }

    /** min(1, clip / total L2 norm of all gradients), as torch.nn.utils.clip_grad_norm_ scales them. */
    private static double clipScale(List<PtNDArray> grads, double clip) {
        PtNDArray[] squares = new PtNDArray[grads.size()];
        for (int i = 0; i < squares.length; i++) {
            squares[i] = JniUtils.sum(JniUtils.square(grads.get(i)));
        }
        double norm = Math.sqrt(JniUtils.sum(JniUtils.stack(squares, 0)).toType(DataType.FLOAT64, false)
                .getDouble());
        return Math.min(1.0, clip / (norm + 1e-6));
    }

    /** Sum over targets of -log p(target) times each target's weight (1/count in training, 1 in evaluation). */
    private PtNDArray loss(PtNDArray logits, Batch b) {
        PtNDArray logp = JniUtils.logSoftmax(Nd.reshape(logits, -1, vocab), 1, DataType.FLOAT32);
        return JniUtils.sum(JniUtils.mul(JniUtils.gather(logp, b.y, 1), b.weight));
    }

    @Override
    public double drainLoss() {
        if (lossCount == 0) {
            return Double.NaN;
        }
        double mean;
        try (NDScope scope = new NDScope()) {
            mean = lossSum.getFloat() / lossCount;
            JniUtils.muli(lossSum, (PtNDArray) manager.create(0f));
        }
        lossCount = 0;
        return mean;
    }

    // ---- batches ----

    /** Inputs [rows, T], targets [rows * T, 1] (masked ones point at 0) and loss weights [rows * T, 1]. */
    private record Batch(PtNDArray x, PtNDArray y, PtNDArray weight, int count) {}

    private int nextInt(int n) {
        long z = (rng += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) Math.floorMod(z, (long) n);
    }

    private List<int[]> sampleItems() {
        List<int[]> items = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            items.add(trainItems[nextInt(trainItems.length)]);
        }
        return items;
    }

    private int[] sampleRows() {
        int[] rows = new int[batch];
        for (int i = 0; i < batch; i++) {
            rows[i] = nextInt(trainContexts.size());
        }
        return rows;
    }

    /** With {@code weight} null: training weights (-1/targets, a mean); else every target weighs {@code weight}. */
    private Batch sequenceBatch(List<int[]> items) {
        return sequenceBatch(items, Float.NaN);
    }

    private Batch sequenceBatch(List<int[]> items, float weight) {
        int t = 0;
        for (int[] it : items) {
            t = Math.max(t, it.length + 1);
        }
        int rows = items.size();
        long[] x = new long[rows * t];
        long[] y = new long[rows * t];
        float[] w = new float[rows * t];
        int count = 0;
        for (int r = 0; r < rows; r++) {
            int[] it = items.get(r);
            for (int j = 0; j <= it.length; j++) {
                if (j < it.length) {
                    x[r * t + j + 1] = it[j];
                    y[r * t + j] = it[j];
                }
                w[r * t + j] = 1;
                count++;
            }
        }
        scale(w, Float.isNaN(weight) ? -1f / count : weight);
        return new Batch((PtNDArray) manager.create(x, new Shape(rows, t)), (PtNDArray) manager.create(y,
                new Shape((long) rows * t, 1)), (PtNDArray) manager.create(w, new Shape((long) rows * t, 1)), count);
    }

    private Batch contextBatch(int[] rows) {
        return contextBatch(trainContexts, rows, Float.NaN);
    }

    private Batch contextBatch(Contexts ctx, int[] rows, float weight) {
        long[] x = new long[rows.length * block];
        long[] y = new long[rows.length];
        float[] w = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < block; j++) {
                x[i * block + j] = ctx.x()[rows[i] * block + j];
            }
            y[i] = ctx.y()[rows[i]];
            w[i] = Float.isNaN(weight) ? -1f / rows.length : weight;
        }
        return new Batch((PtNDArray) manager.create(x, new Shape(rows.length, block)), (PtNDArray) manager.create(y,
                new Shape(rows.length, 1)), (PtNDArray) manager.create(w, new Shape(rows.length, 1)), rows.length);
    }

    private static void scale(float[] w, float s) {
        for (int i = 0; i < w.length; i++) {
            w[i] *= s;
        }
    }

    // ---- evaluation, sampling, probing ----

    @Override
    public double nll(Corpus.Part part) {
        Nd.noAutograd();
        List<String> words = corpus.words(part);
        double total = 0;
        long count = 0;
        if (layout == Layout.SEQUENCE) {
            for (int start = 0; start < words.size(); start += EVAL_ITEMS) {
                List<int[]> items = new ArrayList<>();
                for (String w : words.subList(start, Math.min(words.size(), start + EVAL_ITEMS))) {
                    items.add(corpus.vocab().encode(w));
                }
                try (NDScope scope = new NDScope()) {
                    Batch b = sequenceBatch(items, -1f);
                    total += sumOf(loss(forward(b.x), b));
                    count += b.count;
                }
            }
        } else {
            Contexts ctx = Contexts.of(words, corpus.vocab(), block);
            for (int start = 0; start < ctx.size(); start += EVAL_ROWS) {
                int[] rows = java.util.stream.IntStream.range(start, Math.min(ctx.size(), start + EVAL_ROWS)).toArray();
                try (NDScope scope = new NDScope()) {
                    Batch b = contextBatch(ctx, rows, -1f);
                    total += sumOf(loss(forward(b.x), b));
                    count += b.count;
                }
            }
        }
        return count == 0 ? Double.NaN : total / count;
    }

    private static double sumOf(PtNDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    /** Most characters one item may have: a sequence model has positions for {@code block - 1} and the end. */
    private int maxChars() {
        return layout == Layout.SEQUENCE ? Math.min(Sampling.MAX_LENGTH, block - 1) : Sampling.MAX_LENGTH;
    }

    @Override
    public List<String> sample(int n, double temperature, Random random) {
        Nd.noAutograd();
        List<List<Integer>> ids = new ArrayList<>();
        StringBuilder[] out = new StringBuilder[n];
        boolean[] done = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = new StringBuilder();
            ids.add(new ArrayList<>(List.of(0)));
        }
        int alive = n;
        for (int pos = 0; pos < maxChars() && alive > 0; pos++) {
            float[] probs;
            try (NDScope scope = new NDScope()) {
                PtNDArray last = lastLogits(ids);
                probs = JniUtils.softmax(JniUtils.div(last, (PtNDArray) manager.create((float) temperature)), 1,
                        DataType.FLOAT32).toFloatArray();
            }
            for (int i = 0; i < n; i++) {
                if (done[i]) {
                    ids.get(i).add(0); // keeps every prefix the same length
                    continue;
                }
                int next = Sampling.draw(probs, i * vocab, vocab, random);
                ids.get(i).add(next);
                if (next == 0) {
                    done[i] = true;
                    alive--;
                } else {
                    out[i].append(corpus.vocab().symbol(next));
                }
            }
        }
        List<String> names = new ArrayList<>(n);
        for (StringBuilder sb : out) {
            names.add(sb.toString());
        }
        return names;
    }

    /** [n, V] logits for the character after each prefix (every prefix starts with the boundary 0). */
    private PtNDArray lastLogits(List<List<Integer>> prefixes) {
        int n = prefixes.size();
        int t = layout == Layout.SEQUENCE ? prefixes.get(0).size() : block;
        long[] x = new long[n * t];
        for (int i = 0; i < n; i++) {
            List<Integer> p = prefixes.get(i);
            // a finished prefix still takes a row (its draws are ignored); CONTEXT keeps the last block ids
            for (int j = 0; j < t; j++) {
                int src = p.size() - t + j;
                x[i * t + j] = src >= 0 && src < p.size() ? p.get(src) : 0;
            }
        }
        PtNDArray logits = forward((PtNDArray) manager.create(x, new Shape(n, t)));
        if (layout == Layout.SEQUENCE) {
            logits = Nd.reshape(JniUtils.slice(logits, 1, t - 1, t, 1), n, vocab);
        }
        return logits;
    }

    @Override
    public double[] probabilities(String word) {
        Sampling.requireKnown(corpus.vocab(), word);
        int[] ids = corpus.vocab().encode(word);
        if (ids.length > maxChars()) {
            throw new IllegalArgumentException("the word is longer than the " + maxChars()
                    + " characters this model has positions for");
        }
        Nd.noAutograd();
        try (NDScope scope = new NDScope()) {
            Batch b = layout == Layout.SEQUENCE ? sequenceBatch(List.of(ids), 1f)
                    : contextBatch(Contexts.of(List.of(word), corpus.vocab(), block),
                            java.util.stream.IntStream.range(0, ids.length + 1).toArray(), 1f);
            PtNDArray logp = JniUtils.logSoftmax(Nd.reshape(forward(b.x), -1, vocab), 1, DataType.FLOAT32);
            float[] p = JniUtils.exp(JniUtils.gather(logp, b.y, 1)).toFloatArray();
            double[] out = new double[ids.length + 1];
            for (int i = 0; i < out.length; i++) {
                out[i] = p[i];
            }
            return out;
        }
    }

    @Override
    public List<EmbeddingPoint> embedding() {
        PtNDArray table = tokenEmbedding();
        if (table == null) {
            return List.of();
        }
        long[] s = table.getShape().getShape();
        return Pca.points(corpus.vocab(), table.toFloatArray(), (int) s[0], (int) s[1]);
    }

    // ---- checkpoints: parameters, optimizer state, batch sampler ----

    @Override
    public void save(Path file) throws IOException {
        List<PtNDArray> arrays = new ArrayList<>(params);
        arrays.addAll(optimizer().state());
        Params.save(file, arrays, new long[] {optimizer().steps(), rng});
    }

    @Override
    public void restore(Path file) throws IOException {
        List<PtNDArray> arrays = new ArrayList<>(params);
        arrays.addAll(optimizer().state());
        Nd.noAutograd();
        long[] counters = Params.load(file, arrays, 2);
        optimizer().setSteps(counters[0]);
        rng = counters[1];
    }

    @Override
    public void close() {
        manager.close();
    }
}
