package makemore.model.autograd;

import makemore.model.inspect.Pca;
import makemore.model.tensor.LossSum;
import makemore.model.tensor.ParamArena;
import makemore.model.tensor.ParamFile;
import makemore.model.tensor.Tensors;
import makemore.event.EmbeddingPoint;
import makemore.event.Health;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import makemore.data.Corpus;
import makemore.data.Vocabulary;
import makemore.optim.Optimizer;
import makemore.optim.OptimizerConfig;

/**
 * Base of the models trained with libtorch autograd: a subclass declares its parameters in its constructor and
 * writes {@link #forward}; this class has every method of {@code makemore.model.LanguageModel} once (batches, loss,
 * backward, optimizer, evaluation, the next-character distribution, embedding, checkpoints). The subclass declares
 * {@code implements LanguageModel} itself, so this package needs nothing from the package of the models.
 *
 * <p>Autograd is per thread: DJL's GradientCollector allows one open collector per JVM, so it is not used. Grad
 * mode is switched on for the forward pass on the calling thread only, {@code backward} runs on the loss, and the
 * update runs with grad mode off. Two models on two threads therefore train at the same time, each exactly as it
 * would alone ({@code AutogradConcurrencyTest}). Everything a step allocates lives in the step's NDScope.
 *
 * <p>Parameters live in a {@link ParamArena}; the batch sampler is {@link BatchDraws}; the read-only uses
 * (loss on a split, the next-character distribution) are {@link AutogradInference}.
 */
public abstract class AutogradModel implements AutoCloseable {
    // Javadoc of each public method: see makemore.model.LanguageModel, which the subclasses implement with these.

    /** How items become (input, target) examples: see {@link Batch}. */
    protected enum Layout { SEQUENCE, CONTEXT }

    protected final Corpus corpus;
    protected final int vocab;
    /** Positions per item (SEQUENCE) or context length (CONTEXT). */
    protected final int block;
    protected final PtNDManager manager;
    final Layout layout;
    private final int batch;
    private final OptimizerConfig optimizerConfig;
    private final Random init;
    private final ParamArena params;
    private final List<PtNDArray> buffers = new ArrayList<>();
    private final BatchDraws draws; // checkpointed so a restored run draws the same batches
    private final AutogradInference inference = new AutogradInference(this);
    private final LossSum lossSum;
    private final PtNDArray one;
    private List<PtNDArray> flat; // one [used] view per arena: what the optimizer updates
    private Optimizer optimizer;
    private boolean training;
    private Batch ahead; // drawn by drawAhead for the next step

    /** {@code batch} 0 means the whole training split every step. */
    protected AutogradModel(Corpus corpus, Layout layout, int block, int batch, long seed, OptimizerConfig optimizer) {
        this.corpus = corpus;
        this.vocab = corpus.vocab().size();
        this.layout = layout;
        this.block = block;
        this.optimizerConfig = optimizer;
        this.init = new Random(seed);
        this.manager = Tensors.newManager();
        this.params = new ParamArena(manager);
        List<String> train = corpus.words(Corpus.Part.TRAIN);
        this.draws = layout == Layout.SEQUENCE ? new BatchDraws(encode(train), null, seed)
                : new BatchDraws(null, corpus.contexts(Corpus.Part.TRAIN, block), seed);
        this.batch = batch > 0 ? batch : draws.size();
        lossSum = new LossSum((PtNDArray) manager.zeros(new Shape()), 1);
        one = ParamArena.keep((PtNDArray) manager.ones(new Shape()));
    }

    /**
     * Logits for a batch: [B, V] for contexts; for sequences [B, T, V] over the grid or [N, V] over the real
     * positions (see {@link Batch}). Runs with grad mode on while training; {@link #training()} tells layers such
     * as BatchNorm which mode they are in.
     */
    protected abstract PtNDArray forward(Batch in);

    /** Sequence models: the grid's length is rounded up to a multiple of this (1: the batch's longest item + 1). */
    protected int gridAlign() {
        return 1;
    }

    /** The token embedding table [V, d] shown on the embedding plot, or null for a model without one. */
    protected PtNDArray tokenEmbedding() {
        return null;
    }

    /** Positions per item (sequence models) or context length (context models). */
    public final int blockSize() {
        return block;
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
        return params.add(name, values, shape);
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
        Arrays.fill(v, value);
        return param(name, v, shape);
    }

    /** Untrained state of the model (BatchNorm's running statistics): kept across steps, saved with the parameters. */
    protected final PtNDArray buffer(float[] values, long... shape) {
        PtNDArray b = constant(values, shape);
        buffers.add(b);
        return b;
    }

    /** A constant the model keeps across steps (a mask, a scale), never closed by a step's scope. */
    protected final PtNDArray constant(float[] values, long... shape) {
        return ParamArena.keep((PtNDArray) manager.create(values, new Shape(shape)));
    }

    public final List<PtNDArray> parameters() { return params.parameters(); }

    public final List<String> parameterNames() { return params.names(); }

    public final long parameterCount() {
        long n = 0;
        for (PtNDArray p : params.parameters()) {
            n += p.size();
        }
        return n;
    }

    private Optimizer optimizer() {
        if (optimizer == null) {
            flat = params.flatViews();
            optimizer = Optimizer.create(optimizerConfig, flat);
        }
        return optimizer;
    }

    // ---- training ----

    public boolean trainable() { return true; }

    /** Draws the next step's batch now (the one it would draw), so a bench can keep the draw off its clock. */
    public final void drawAhead() {
        ahead = ahead != null ? ahead : draws.draw(manager, batch, gridAlign()).kept();
    }

    public void step(double lr) {
        Optimizer opt = optimizer();
        try (NDScope scope = new NDScope()) {
            Batch in = ahead != null ? ahead.adopt() : draws.draw(manager, batch, gridAlign());
            ahead = null;
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
            lossSum.add(loss, 1);
            List<PtNDArray> grads = params.flatGradients();
            double rescale = optimizerConfig.clip() > 0 ? clipScale(grads, optimizerConfig.clip()) : 1;
            opt.step(flat, grads, lr, rescale);
            for (PtNDArray p : params.parameters()) {
                JniUtils.zeroGrad(p);
            }
        }
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
    final PtNDArray logLikelihood(Batch in) {
        PtNDArray logp = JniUtils.logSoftmax(in.packed(forward(in)), 1, DataType.FLOAT32);
        return JniUtils.sum(JniUtils.gather(logp, in.targets, 1));
    }

    final PtNDArray scalar(float v) {
        return (PtNDArray) manager.create(v);
    }

    public double drainLoss() { return lossSum.drain(); }

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
            long z = draws.next64();
            for (int k = 0; k < 4 && i + k < mask.length; k++) {
                mask[i + k] = ((z >>> (16 * k)) & 0xFFFF) < threshold ? 0f : keep;
            }
        }
        return JniUtils.mul(x, (PtNDArray) manager.create(mask, shape));
    }

    final int[][] encode(List<String> words) {
        int[][] out = new int[words.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = corpus.vocab().encode(words.get(i));
        }
        return out;
    }

    // ---- evaluation and the next-character distribution: AutogradInference ----

    public double nll(Corpus.Part part) {
        return inference.nll(part);
    }

    public double[] itemNll(List<String> words) { return inference.itemNll(words); }

    public Vocabulary vocab() { return corpus.vocab(); }

    public double[] nextLogProbs(int[][] prefixes) {
        return inference.nextLogProbs(prefixes);
    }

    public double[] inputGradientNorms(int[] prefix, int target) {
        return AutogradInfluence.norms(this, prefix, target);
    }

    public int maxChars() {
        return inference.maxChars();
    }

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
     * outside a health pass. One call per layer in {@link #forward} is all a model does to show its layers. A cell
     * applied at each position of a sequence (a recurrent net) taps its [B, 1, D] output at every position under
     * one name, so that each position's gradient includes what flows back through the later positions; the panel
     * then shows the real positions of all of them as one layer.
     */
    protected final PtNDArray tap(String name, String kind, PtNDArray out) {
        return taps == null ? out : AutogradHealth.tap(taps, name, kind, out);
    }

    /** True during a health pass: a training-mode forward whose running statistics must stay untouched. */
    protected final boolean measuring() {
        return taps != null;
    }

    public Health health(double lr) {
        return AutogradHealth.measure(this, lr);
    }

    /**
     * For {@link AutogradHealth}: forward and backward in training mode on a batch (at most {@code maxRows}) drawn
     * apart from the training draws, which resume unchanged; gradients are left on the parameters. Returns the
     * batch measured.
     */
    final Batch healthPass(List<AutogradHealth.Tap> record, int maxRows) {
        long saved = draws.state();
        draws.setState(saved ^ (0xD1B54A32D192ED03L * ++healthPasses));
        Batch in;
        try {
            in = draws.draw(manager, Math.min(batch, maxRows), gridAlign());
        } finally {
            draws.setState(saved);
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
        return in;
    }

    /**
     * For {@link AutogradHealth}: the arrays one optimizer step changes (the parameters' storage, then the
     * optimizer's state) and that step, taken from the gradients on the parameters as {@link #step} takes it.
     */
    final List<PtNDArray> healthState() {
        List<PtNDArray> all = new ArrayList<>(optimizer().state()); // optimizer() first: it makes flat
        all.addAll(0, flat);
        return all;
    }

    final void healthUpdate(double lr) {
        List<PtNDArray> grads = params.flatGradients();
        double rescale = optimizerConfig.clip() > 0 ? clipScale(grads, optimizerConfig.clip()) : 1;
        optimizer().step(flat, grads, lr, rescale);
    }

    final Optimizer healthOptimizer() { return optimizer(); }

    // ---- checkpoints: parameters, optimizer state, batch sampler ----

    private List<PtNDArray> checkpointArrays() {
        List<PtNDArray> arrays = new ArrayList<>(params.parameters());
        arrays.addAll(buffers);
        arrays.addAll(optimizer().state());
        return arrays;
    }

    public void save(Path file) throws IOException {
        ParamFile.save(file, checkpointArrays(), new long[] {optimizer().steps(), draws.state()});
    }

    public void restore(Path file) throws IOException {
        Tensors.noAutograd();
        long[] counters = ParamFile.load(file, checkpointArrays(), 2);
        optimizer().setSteps(counters[0]);
        draws.setState(counters[1]);
    }

    public void close() {
        manager.close();
    }
}
