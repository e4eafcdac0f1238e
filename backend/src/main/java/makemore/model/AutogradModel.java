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
 * <p>Parameters are views into one flat array (more only past {@link #ARENA} floats), so the optimizer updates
 * them all in one native call instead of one per parameter.
 */
public abstract class AutogradModel implements LanguageModel {

    /** How items become (input, target) examples: see {@link Input}. */
    protected enum Layout { SEQUENCE, CONTEXT }

    static final int ARENA = 1 << 20;
    private static final int EVAL_ITEMS = 512;
    private static final int EVAL_ROWS = 8192;

    protected final Corpus corpus;
    protected final int vocab;
    /** Positions per item (SEQUENCE) or context length (CONTEXT). */
    protected final int block;
    protected final PtNDManager manager;
    private final Layout layout;
    private final int batch;
    private final OptimizerConfig optimizerConfig;
    private final Random init;
    private final List<String> names = new ArrayList<>();
    private final List<PtNDArray> params = new ArrayList<>();
    private final List<PtNDArray> buffers = new ArrayList<>();
    private final List<PtNDArray> arenas = new ArrayList<>();
    private final List<Integer> arenaUsed = new ArrayList<>();
    private final List<Integer> arenaOf = new ArrayList<>(); // each parameter's arena
    private final int[][] trainItems;
    private final Contexts trainContexts;
    private final PtNDArray lossSum;
    private final PtNDArray one;
    private long lossCount;
    private long rng; // batch sampler state (SplitMix64), checkpointed so a restored run draws the same batches
    private List<PtNDArray> flat; // one [used] view per arena: what the optimizer updates
    private Optimizer optimizer;
    private boolean training;

    /** {@code batch} 0 means the whole training split every step. */
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
            trainItems = encode(train);
            trainContexts = null;
        } else {
            trainItems = null;
            trainContexts = Contexts.of(train, corpus.vocab(), block);
        }
        this.batch = batch > 0 ? batch : layout == Layout.SEQUENCE ? trainItems.length : trainContexts.size();
        lossSum = keep((PtNDArray) manager.zeros(new Shape()));
        one = keep((PtNDArray) manager.ones(new Shape()));
    }

    /**
     * Logits for a batch: [B, V] for contexts; for sequences [B, T, V] over the grid or [N, V] over the real
     * positions (see {@link Input}). Runs with grad mode on while training; {@link #training()} tells layers such
     * as BatchNorm which mode they are in.
     */
    protected abstract PtNDArray forward(Input in);

    /** Sequence models: the grid's length is rounded up to a multiple of this (1: the batch's longest item + 1). */
    protected int gridAlign() {
        return 1;
    }

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
        if (optimizer != null) {
            throw new IllegalStateException("parameters are declared in the constructor");
        }
        int a = arenas.size() - 1;
        if (a < 0 || arenaUsed.get(a) + values.length > arenas.get(a).size()) {
            arenas.add(keep((PtNDArray) manager.zeros(new Shape(Math.max(ARENA, values.length)))));
            arenaUsed.add(0);
            a++;
        }
        int from = arenaUsed.get(a);
        PtNDArray p = keep(Nd.reshape(JniUtils.slice(arenas.get(a), 0, from, from + values.length, 1), shape));
        Nd.assign(p, values);
        JniUtils.attachGradient(p, true);
        arenaUsed.set(a, from + values.length);
        arenaOf.add(a);
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

    /**
     * State that is not trained but belongs to the model (BatchNorm's running statistics): kept across steps and
     * saved and restored with the parameters.
     */
    protected final PtNDArray buffer(float[] values, long... shape) {
        PtNDArray b = constant(values, shape);
        buffers.add(b);
        return b;
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
            flat = new ArrayList<>();
            for (int a = 0; a < arenas.size(); a++) {
                flat.add(keep(JniUtils.slice(arenas.get(a), 0, 0, arenaUsed.get(a), 1)));
            }
            optimizer = Optimizer.create(optimizerConfig, flat);
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
        Optimizer opt = optimizer();
        try (NDScope scope = new NDScope()) {
            Input in = layout == Layout.SEQUENCE ? Input.sequences(manager, sampleItems(), gridAlign())
                    : Input.contexts(manager, trainContexts, sampleRows());
            PtNDArray loss;
            training = true;
            JniUtils.setGradMode(true);
            try {
                loss = JniUtils.mul(logLikelihood(in), scalar(-1f / in.count));
                JniUtils.backward(loss, one, false, false);
            } finally {
                JniUtils.setGradMode(false);
                training = false;
            }
            JniUtils.addi(lossSum, loss);
            lossCount++;
            List<PtNDArray> grads = flatGradients();
            double rescale = optimizerConfig.clip() > 0 ? clipScale(grads, optimizerConfig.clip()) : 1;
            opt.step(flat, grads, lr, rescale);
            for (PtNDArray p : params) {
                JniUtils.zeroGrad(p);
            }
        }
    }

    /** Each arena's gradients as one flat array, in the arena's order. */
    private List<PtNDArray> flatGradients() {
        List<List<PtNDArray>> parts = new ArrayList<>();
        for (int a = 0; a < arenas.size(); a++) {
            parts.add(new ArrayList<>());
        }
        for (int i = 0; i < params.size(); i++) {
            PtNDArray g = JniUtils.getGradient(params.get(i));
            if (g == null) {
                throw new IllegalStateException("parameter " + names.get(i) + " got no gradient");
            }
            parts.get(arenaOf.get(i)).add(Nd.reshape(g, -1));
        }
        List<PtNDArray> out = new ArrayList<>();
        for (List<PtNDArray> p : parts) {
            out.add(JniUtils.cat(p.toArray(new PtNDArray[0]), 0));
        }
        return out;
    }

    /** min(1, clip / total L2 norm of all gradients), as torch.nn.utils.clip_grad_norm_ scales them. */
    private static double clipScale(List<PtNDArray> grads, double clip) {
        double sq = 0;
        for (PtNDArray g : grads) {
            sq += JniUtils.sum(JniUtils.square(g)).toType(DataType.FLOAT64, false).getDouble();
        }
        return Math.min(1.0, clip / (Math.sqrt(sq) + 1e-6));
    }

    /** Sum over the batch's targets of log p(target). */
    private PtNDArray logLikelihood(Input in) {
        PtNDArray logp = JniUtils.logSoftmax(in.packed(forward(in)), 1, DataType.FLOAT32);
        return JniUtils.sum(JniUtils.gather(logp, in.targets, 1));
    }

    private PtNDArray scalar(float v) {
        return (PtNDArray) manager.create(v);
    }

    @Override
    public double drainLoss() {
        if (lossCount == 0) {
            return Double.NaN;
        }
        double mean;
        try (NDScope scope = new NDScope()) {
            mean = lossSum.getFloat() / lossCount;
            JniUtils.muli(lossSum, scalar(0f));
        }
        lossCount = 0;
        return mean;
    }

    private long next64() {
        long z = (rng += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private int nextInt(int n) {
        return (int) Math.floorMod(next64(), (long) n);
    }

    /**
     * Inverted dropout while training (identity otherwise). The mask comes from the model's own seeded generator:
     * libtorch's generator is one per process, so runs on other threads would change each other's masks.
     */
    protected final PtNDArray dropout(PtNDArray x, double p) {
        if (!training || p <= 0) {
            return x;
        }
        Shape shape = x.getShape();
        float[] mask = new float[Math.toIntExact(shape.size())];
        float keep = (float) (1 / (1 - p));
        long threshold = Math.round(p * 65536);
        for (int i = 0; i < mask.length; i += 4) {
            long z = next64();
            for (int k = 0; k < 4 && i + k < mask.length; k++) {
                mask[i + k] = ((z >>> (16 * k)) & 0xFFFF) < threshold ? 0f : keep;
            }
        }
        return JniUtils.mul(x, (PtNDArray) manager.create(mask, shape));
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

    private int[][] encode(List<String> words) {
        int[][] out = new int[words.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = corpus.vocab().encode(words.get(i));
        }
        return out;
    }

    // ---- evaluation, sampling, probing ----

    @Override
    public double nll(Corpus.Part part) {
        Nd.noAutograd();
        List<String> words = corpus.words(part);
        double total = 0;
        long count = 0;
        if (layout == Layout.SEQUENCE) {
            int[][] items = encode(words);
            for (int start = 0; start < items.length; start += EVAL_ITEMS) {
                try (NDScope scope = new NDScope()) {
                    Input in = Input.sequences(manager,
                            List.of(items).subList(start, Math.min(items.length, start + EVAL_ITEMS)), gridAlign());
                    total -= sumOf(logLikelihood(in));
                    count += in.count;
                }
            }
        } else {
            Contexts ctx = Contexts.of(words, corpus.vocab(), block);
            for (int start = 0; start < ctx.size(); start += EVAL_ROWS) {
                int[] rows = java.util.stream.IntStream.range(start, Math.min(ctx.size(), start + EVAL_ROWS)).toArray();
                try (NDScope scope = new NDScope()) {
                    Input in = Input.contexts(manager, ctx, rows);
                    total -= sumOf(logLikelihood(in));
                    count += in.count;
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
        int[][] chars = new int[n][0];
        StringBuilder[] out = new StringBuilder[n];
        boolean[] done = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = new StringBuilder();
        }
        int alive = n;
        for (int pos = 0; pos < maxChars() && alive > 0; pos++) {
            float[] probs;
            try (NDScope scope = new NDScope()) {
                PtNDArray last = nextLogits(chars, pos);
                probs = JniUtils.softmax(JniUtils.div(last, scalar((float) temperature)), 1, DataType.FLOAT32)
                        .toFloatArray();
            }
            for (int i = 0; i < n; i++) {
                // a finished item keeps taking 0s so every prefix has the same length; its draws are ignored
                int next = done[i] ? 0 : Sampling.draw(probs, i * vocab, vocab, random);
                chars[i] = java.util.Arrays.copyOf(chars[i], pos + 1);
                chars[i][pos] = next;
                if (done[i]) {
                    continue;
                }
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

    /** [n, V] logits for the character after each item's first {@code len} characters. */
    private PtNDArray nextLogits(int[][] chars, int len) {
        int n = chars.length;
        if (layout == Layout.SEQUENCE) {
            Input in = Input.sequences(manager, List.of(chars), gridAlign());
            long[] last = new long[n];
            for (int i = 0; i < n; i++) {
                last[i] = (long) i * (len + 1) + len;
            }
            return Nd.rows(in.packed(forward(in)), (PtNDArray) manager.create(last, new Shape(n)));
        }
        int[] x = new int[n * block];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < block; j++) {
                int src = len - block + j;
                x[i * block + j] = src >= 0 ? chars[i][src] : 0;
            }
        }
        return forward(Input.contexts(manager, new Contexts(block, x, new int[n]),
                java.util.stream.IntStream.range(0, n).toArray()));
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
            Input in = layout == Layout.SEQUENCE ? Input.sequences(manager, List.<int[]>of(ids), gridAlign())
                    : Input.contexts(manager, Contexts.of(List.of(word), corpus.vocab(), block),
                            java.util.stream.IntStream.range(0, ids.length + 1).toArray());
            PtNDArray logp = JniUtils.logSoftmax(in.packed(forward(in)), 1, DataType.FLOAT32);
            float[] p = JniUtils.exp(JniUtils.gather(logp, in.targets, 1)).toFloatArray();
            double[] out = new double[p.length];
            for (int i = 0; i < p.length; i++) {
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

    // ---- layer health (AutogradHealth): weights for every model, layers where a model taps them ----

    private List<AutogradHealth.Tap> taps; // non-null while a health pass records
    private long healthPasses;

    /**
     * Marks a layer's output ({@code kind} "tanh", "linear", ...) for the health panel; returns it unchanged
     * outside a health pass. One call per layer in {@link #forward} is all a model does to show its layers.
     */
    protected final PtNDArray tap(String name, String kind, PtNDArray out) {
        return taps == null ? out : AutogradHealth.tap(taps, name, kind, out);
    }

    /** True during a health pass: a training-mode forward whose running statistics must stay untouched. */
    protected final boolean measuring() {
        return taps != null;
    }

    @Override
    public Health health(double lr) {
        return AutogradHealth.measure(this, lr);
    }

    /**
     * For {@link AutogradHealth}: forward and backward in training mode on a batch (at most {@code maxRows}) drawn
     * apart from the training draws, which resume unchanged; gradients are left on the parameters.
     */
    final void healthPass(List<AutogradHealth.Tap> record, int maxRows) {
        long saved = rng;
        rng = saved ^ (0xD1B54A32D192ED03L * ++healthPasses);
        Input in;
        try {
            int n = Math.min(batch, maxRows);
            if (layout == Layout.SEQUENCE) {
                List<int[]> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(trainItems[nextInt(trainItems.length)]);
                }
                in = Input.sequences(manager, items, gridAlign());
            } else {
                int[] rows = new int[n];
                for (int i = 0; i < n; i++) {
                    rows[i] = nextInt(trainContexts.size());
                }
                in = Input.contexts(manager, trainContexts, rows);
            }
        } finally {
            rng = saved;
        }
        taps = record;
        training = true;
        JniUtils.setGradMode(true);
        try {
            JniUtils.backward(JniUtils.mul(logLikelihood(in), scalar(-1f / in.count)), one, false, false);
        } finally {
            JniUtils.setGradMode(false);
            training = false;
            taps = null;
        }
    }

    /**
     * For {@link AutogradHealth}: the arrays one optimizer step changes (the parameters' storage, then the
     * optimizer's state) and that step, taken from the gradients on the parameters as {@link #step} takes it.
     */
    final List<PtNDArray> healthState() {
        List<PtNDArray> all = new ArrayList<>();
        Optimizer opt = optimizer();
        all.addAll(flat);
        all.addAll(opt.state());
        return all;
    }

    final void healthUpdate(double lr) {
        List<PtNDArray> grads = flatGradients();
        double rescale = optimizerConfig.clip() > 0 ? clipScale(grads, optimizerConfig.clip()) : 1;
        optimizer().step(flat, grads, lr, rescale);
    }

    final Optimizer healthOptimizer() {
        return optimizer();
    }

    // ---- checkpoints: parameters, optimizer state, batch sampler ----

    private List<PtNDArray> checkpointArrays() {
        List<PtNDArray> arrays = new ArrayList<>(params);
        arrays.addAll(buffers);
        arrays.addAll(optimizer().state());
        return arrays;
    }

    @Override
    public void save(Path file) throws IOException {
        Params.save(file, checkpointArrays(), new long[] {optimizer().steps(), rng});
    }

    @Override
    public void restore(Path file) throws IOException {
        Nd.noAutograd();
        long[] counters = Params.load(file, checkpointArrays(), 2);
        optimizer().setSteps(counters[0]);
        rng = counters[1];
    }

    @Override
    public void close() {
        manager.close();
    }
}
