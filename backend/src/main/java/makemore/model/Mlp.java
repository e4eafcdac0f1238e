package makemore.model;

import makemore.model.inspect.Pca;
import makemore.model.tensor.Handles;
import makemore.model.tensor.LossSum;
import makemore.model.tensor.OneHotBatches;
import makemore.model.tensor.ParamFile;
import makemore.model.tensor.Tensors;
import makemore.event.EmbeddingPoint;
import makemore.event.Health;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import makemore.data.Contexts;
import makemore.data.DistinctContexts;
import makemore.data.Corpus;
import makemore.data.Vocabulary;
import makemore.config.ConfigException;
import makemore.config.FieldSpec;
import makemore.config.Fields;
import makemore.config.RunConfig;

/**
 * Bengio et al. 2003: embed each of {@code context} characters, concatenate, one tanh hidden layer, softmax.
 *
 * <p>Gradients are written out by hand rather than taken from autograd: at batch 32 the cost is the number of
 * native calls, and the hand-written backward needs about half as many (and no global GradientCollector, so
 * runs on different threads never wait for each other). {@code MlpGradientTest} checks them against autograd.
 */
final class Mlp implements LanguageModel {
    private final Corpus corpus;
    private final int vocab;
    private final int block;
    private final int emb;
    private final int hidden;
    private final int batch;
    final double l2; // read by MlpHealth
    private static final long MAX_INPUT_FLOATS = 8L << 20;
    private final PtNDManager manager;
    private final Random healthRng; // its own draws, so measuring health leaves the training batches as they were
    private final Contexts train;
    private final OneHotBatches batches;
    // Views made once over the parameters' storage (in-place updates show through): at batch 32, x @ W^T as a matmul
    // with a standing transposed view plus an in-place bias add costs ~4.8 us against 5.9 for one linear (addmm), and
    // a bias gradient as [1, B] ones @ dY ~1.2 us against 1.6-1.9 for a row sum (per-op CPU time, one thread).
    private final PtNDArray w1T;
    private final PtNDArray w2T;
    private final PtNDArray b1Row;
    private final PtNDArray b2Row;
    private final PtNDArray onesRow;
    private final LossSum loss; // log-probabilities of the targets, per batch slot and vocabulary entry
    private final MarkableRandom batchRng;
    private final long[] eShape;
    private final long[] dEShape;
    private PtNDArray scale;
    private double scaleValue;
    final PtNDArray c;
    final PtNDArray w1;
    final PtNDArray b1;
    final PtNDArray w2;
    final PtNDArray b2;

    static final String KAIMING = "kaiming";
    static final String NAIVE = "naive";

    static final ModelSpec SPEC = new ModelSpec("mlp", "MLP (Bengio 2003)",
            "Bengio et al. 2003: embed the context, tanh hidden layer, softmax. Minibatch SGD. With batchnorm, lecture"
                    + " 3's BatchNorm before the tanh.", true,
            Fields.with(List.of(
                    Fields.context(3, 16, "characters of context (the block size)"),
                    Fields.embDim(10),
                    Fields.hidden(200, "tanh layer width"),
                    Fields.l2(0.0),
                    FieldSpec.bool("batchnorm", "batchnorm", false,
                            "BatchNorm before the tanh (batch statistics in training, running ones in evaluation)"),
                    FieldSpec.choice("init", "init", KAIMING, List.of(KAIMING, NAIVE),
                            "kaiming: hidden weights N(0, (5/3)^2 / fan-in), small output layer; naive: every weight"
                                    + " and bias N(0, 1), lecture 3's starting point (saturated tanh, loss ~20)")),
                    Fields.training(0.1, "step", 32, 20000, 1000)),
            Mlp::create, Mlp::estimate, Mlp::check).withGroup(MlpGroup.GROUP);

    /** The hand-written fast path, or the autograd model with BatchNorm when asked for. */
    static LanguageModel create(RunConfig cfg, Corpus corpus) {
        return Boolean.TRUE.equals(cfg.batchnorm()) ? new BatchNormMlp(cfg, corpus) : new Mlp(cfg, corpus);
    }

    static Cost estimate(RunConfig cfg, Corpus corpus) {
        return Boolean.TRUE.equals(cfg.batchnorm()) ? BatchNormMlp.cost(cfg, corpus) : cost(cfg, corpus);
    }

    static void check(RunConfig cfg) {
        if (Boolean.TRUE.equals(cfg.batchnorm()) && cfg.l2() > 0) {
            throw new ConfigException("l2", "the MLP with batchnorm has no L2 term (BatchNorm regularises): set l2 to 0"
                    + " or batchnorm to false, got l2 " + cfg.l2());
        }
    }

    /**
     * Memory: parameters with their gradients, and one step's one-hot input and activations (float32). A step: the
     * one-hot embedding product forward and back, each layer's product three times (forward, input and weight
     * gradients), the softmax and tanh element-wise, one update per parameter, the one-hot batch written; about 30
     * native calls. An evaluation: the forward pass over train and dev in chunks of 16,384 rows.
     */
    static Cost cost(RunConfig cfg, Corpus corpus) {
        long vocab = corpus.vocab().size();
        long rows = cfg.batch() == 0 ? corpus.tokens() : cfg.batch();
        long inputFloats = OneHotBatches.floats(rows, cfg.context(), (int) vocab);
        if (inputFloats > MAX_INPUT_FLOATS) {
            throw new ConfigException("batch", "batch x (context + 1) x vocabulary = " + inputFloats
                    + " one-hot inputs per step; the limit is " + MAX_INPUT_FLOATS + ": lower batch or context");
        }
        long fanIn = (long) cfg.context() * cfg.embDim();
        long h = cfg.hidden();
        long params = vocab * cfg.embDim() + fanIn * h + h + h * vocab + vocab;
        long activations = rows * (fanIn + 3L * h + 4L * vocab);
        double b = rows;
        Cost.Work step = new Cost.Work(2 * b * cfg.context() * vocab * cfg.embDim() + 3 * b * (fanIn * h + h * vocab),
                b * (fanIn + 6.0 * h + 8.0 * vocab) + params + 2.0 * inputFloats, 33);
        double n = Cost.evalContexts(corpus, cfg.context());
        Cost.Work eval = new Cost.Work(n * (fanIn * h + h * vocab), n * (2.0 * fanIn + 2.0 * h + 5.0 * vocab),
                12 * Math.ceil(n / 16384));
        return new Cost(4 * (3 * params + 2 * inputFloats + activations), step, eval); // buffer + device arrays
    }

    Mlp(RunConfig cfg, Corpus corpus) {
        this.corpus = corpus;
        this.vocab = corpus.vocab().size();
        this.block = cfg.context();
        this.emb = cfg.embDim();
        this.hidden = cfg.hidden();
        this.l2 = cfg.l2();
        this.manager = Tensors.newManager();
        this.train = corpus.contexts(Corpus.Part.TRAIN, block);
        this.batch = cfg.batch() == 0 ? train.size() : Math.min(cfg.batch(), train.size());
        cost(cfg, corpus); // the size limits, also when built without the registry's check
        this.loss = new LossSum((PtNDArray) manager.zeros(new Shape(batch, vocab)), -1);
        Random init = new Random(cfg.seed());
        this.batchRng = new MarkableRandom(cfg.seed() + 1); // the same draws as new Random(seed + 1)
        this.batches = new OneHotBatches(manager, train, batch, vocab, batchRng);
        this.healthRng = new Random(cfg.seed() + 2);
        int fanIn = block * emb;
        // kaiming: tanh's gain 5/3 over sqrt(fan-in) keeps the hidden layer's input near unit spread, and a small
        // output layer makes the first softmax near uniform (loss ~ ln V). naive: lecture 3's unscaled start.
        boolean naive = NAIVE.equals(cfg.init());
        c = Tensors.gaussian(manager, init, 1.0, vocab, emb);
        w1 = Tensors.gaussian(manager, init, naive ? 1.0 : (5.0 / 3.0) / Math.sqrt(fanIn), hidden, fanIn);
        b1 = Tensors.gaussian(manager, init, naive ? 1.0 : 0.01, hidden);
        w2 = Tensors.gaussian(manager, init, naive ? 1.0 : 0.01, vocab, hidden);
        b2 = naive ? Tensors.gaussian(manager, init, 1.0, vocab) : (PtNDArray) manager.zeros(new Shape(vocab));
        w1T = JniUtils.transpose(w1, 0, 1);
        w2T = JniUtils.transpose(w2, 0, 1);
        b1Row = Tensors.reshape(b1, 1, hidden);
        b2Row = Tensors.reshape(b2, 1, vocab);
        onesRow = (PtNDArray) manager.ones(new Shape(1, batch));
        eShape = new long[] {batch, (long) block * emb};
        dEShape = new long[] {(long) batch * block, emb};
    }

    @Override
    public Health health(double lr) {
        return MlpHealth.measure(this, manager, train, batch, healthRng, lr);
    }

    @Override
    public boolean trainable() {
        return true;
    }

    @Override
    public void step(double lr) {
        Tensors.noAutograd();
        batches.next();
        // on bare handles (Handles): no Java array object for each of the step's ~20 results
        long hC = Handles.of(c);
        long hW1 = Handles.of(w1);
        long hW2 = Handles.of(w2);
        long hB1Row = Handles.of(b1Row);
        long hB2Row = Handles.of(b2Row);
        long hOnesRow = Handles.of(onesRow);
        long hY = Handles.of(batches.y);
        try (Handles.Frame f = new Handles.Frame()) {
            // forward: the embedding lookup as one-hot @ C, so its gradient is the same matmul transposed
            long e = f.reshape(f.matmul(Handles.of(batches.x), hC), eShape);
            long pre = f.matmul(e, Handles.of(w1T));
            Handles.addi(pre, hB1Row);
            long h = f.tanh(pre);
            long logits = f.matmul(h, Handles.of(w2T));
            Handles.addi(logits, hB2Row);
            long logp = f.logSoftmax(logits);
            // backward, by hand: dL/dlogits = softmax - onehot(y). Every gradient below is linear in dLogits, so
            // scaling it by -lr/B once turns them all into ready-made updates (one in-place add per parameter).
            long dLogits = f.exp(logp);
            Handles.subi(dLogits, hY);
            // the loss stays on the device (an element-wise running sum: no reduction, no sync per step); logp is
            // not needed again, so it is weighted in place (no new array)
            Handles.muli(logp, hY);
            if (!batchRng.inBranch()) { // a cooldown branch's steps add nothing to the loss the trainer reads
                loss.add(logp, batch);
            }
            boolean decay = l2 > 0;
            if (!decay) {
                Handles.muli(dLogits, Handles.of(stepScale(-lr / batch)));
            }
            long dW2 = f.matmulT(dLogits, h);
            long dB2 = f.matmul(hOnesRow, dLogits);
            long dPre = f.matmul(dLogits, hW2);
            long t = f.mul(dPre, h);
            Handles.muli(t, h);
            Handles.subi(dPre, t); // dH * (1 - h^2)
            long dW1 = f.matmulT(dPre, e);
            long dB1 = f.matmul(hOnesRow, dPre);
            long dC = f.matmul(Handles.of(batches.xT), f.reshape(f.matmul(dPre, hW1), dEShape));
            if (!decay) {
                Handles.addi(hC, dC);
                Handles.addi(hW1, dW1);
                Handles.addi(hB1Row, dB1);
                Handles.addi(hW2, dW2);
                Handles.addi(hB2Row, dB2);
            } else {
                // l2 * mean(W^2) per weight matrix: its gradient 2 * l2 * W / numel is SGD's weight decay
                double scale = 1.0 / batch;
                Handles.sgd(hC, dC, lr, scale, 2 * l2 / c.size());
                Handles.sgd(hW1, dW1, lr, scale, 2 * l2 / w1.size());
                Handles.sgd(hB1Row, dB1, lr, scale, 0);
                Handles.sgd(hW2, dW2, lr, scale, 2 * l2 / w2.size());
                Handles.sgd(hB2Row, dB2, lr, scale, 0);
            }
        }
    }

    /** A scalar array holding {@code v}, made again only when the learning rate changes. */
    private PtNDArray stepScale(double v) {
        if (scale == null || scaleValue != v) {
            if (scale != null) {
                scale.close();
            }
            scale = Tensors.scalar(manager, (float) v);
            NDScope.unregister(scale);
            scaleValue = v;
        }
        return scale;
    }

    @Override
    public double drainLoss() {
        return loss.drain();
    }

    @Override
    public double penalty() {
        if (l2 == 0) {
            return Double.NaN;
        }
        try (NDScope scope = new NDScope()) {
            return l2 * List.of(c, w1, w2).stream().mapToDouble(w -> w.square().mean().getFloat()).sum();
        }
    }

    /** log P(next | context) for every row, as a [rows, vocab] array. */
    private NDArray logProbs(PtNDArray x) {
        long rows = x.getShape().get(0);
        PtNDArray h = JniUtils.tanh(Tensors.linear(Tensors.reshape(Tensors.rows(c, x), rows, (long) block * emb), w1, b1));
        return JniUtils.logSoftmax(Tensors.linear(h, w2, b2), 1, DataType.FLOAT32);
    }

    @Override
    public double nll(Corpus.Part part) {
        float[] rowLogp = targetLogProbs(corpus.distinct(part, block));
        double total = 0;
        for (float v : rowLogp) {
            total -= v;
        }
        return total / rowLogp.length;
    }

    /** log p(target) of every row: one pass per distinct context ({@link DistinctContexts}), 16,384 a pass. */
    private float[] targetLogProbs(DistinctContexts d) {
        Tensors.noAutograd();
        float[] out = new float[d.rows()];
        for (int start = 0; start < d.count(); start += 16384) {
            int rows = Math.min(16384, d.count() - start);
            try (NDScope scope = new NDScope()) {
                PtNDArray x = Tensors.ids(manager, java.util.Arrays.copyOfRange(d.x(), start * block,
                        (start + rows) * block), rows, block);
                d.fill(out, start, rows, logProbs(x).toFloatArray(), corpus.vocab().size());
            }
        }
        return out;
    }

    /** Each word's mean NLL from the same rows a dev evaluation scores, so ranking costs about one evaluation more. */
    @Override
    public double[] itemNll(List<String> words) {
        float[] rowLogp = targetLogProbs(DistinctContexts.of(Contexts.of(words, corpus.vocab(), block)));
        double[] out = new double[words.size()];
        int row = 0;
        for (int w = 0; w < out.length; w++) {
            int tokens = words.get(w).codePointCount(0, words.get(w).length()) + 1; // its characters and the end
            for (int t = 0; t < tokens; t++) {
                out[w] -= rowLogp[row++];
            }
            out[w] /= tokens;
        }
        return out;
    }

    @Override
    public Vocabulary vocab() {
        return corpus.vocab();
    }

    @Override
    public double[] nextLogProbs(int[][] prefixes) {
        Tensors.noAutograd();
        Contexts ctx = Contexts.after(prefixes, block);
        try (NDScope scope = new NDScope()) {
            return Tensors.toDoubles(logProbs(Tensors.ids(manager, ctx.x(), ctx.size(), block)));
        }
    }

    /**
     * By hand, as the training step's backward: d log p(target) / d logits = onehot - softmax, back through the
     * output layer, the tanh and the hidden layer to the concatenated context embeddings, one [emb] slice a slot.
     */
    @Override
    public double[] inputGradientNorms(int[] prefix, int target) {
        Tensors.noAutograd();
        Contexts ctx = Contexts.after(new int[][] {prefix}, block);
        try (NDScope scope = new NDScope()) {
            PtNDArray e = Tensors.reshape(Tensors.rows(c, Tensors.ids(manager, ctx.x(), 1, block)), 1,
                    (long) block * emb);
            PtNDArray h = JniUtils.tanh(Tensors.linear(e, w1, b1));
            PtNDArray p = JniUtils.softmax(Tensors.linear(h, w2, b2), 1, DataType.FLOAT32);
            float[] target1 = new float[vocab];
            target1[target] = 1;
            PtNDArray dLogits = JniUtils.sub((PtNDArray) manager.create(target1, new Shape(1, vocab)), p);
            PtNDArray dH = Tensors.matmul(dLogits, w2);
            PtNDArray dPre = JniUtils.sub(dH, JniUtils.mul(JniUtils.mul(dH, h), h)); // dH * (1 - h^2)
            float[] dE = Tensors.matmul(dPre, w1).toFloatArray();
            double[] slots = new double[block];
            for (int k = 0; k < block; k++) {
                double sq = 0;
                for (int j = 0; j < emb; j++) {
                    sq += (double) dE[k * emb + j] * dE[k * emb + j];
                }
                slots[k] = Math.sqrt(sq);
            }
            return Contexts.byToken(slots, prefix.length);
        }
    }

    @Override
    public List<EmbeddingPoint> embedding() {
        return Pca.points(corpus.vocab(), c.toFloatArray(), vocab, emb);
    }

    /** As the default, but the main run's batches and pending loss stay as they were: the branch changes nothing. */
    @Override
    public double branchDev(int steps, double lr) {
        return batchRng.branch(() -> LanguageModel.super.branchDev(steps, lr));
    }

    private List<NDArray> params() {
        return List.of(c, w1, b1, w2, b2);
    }

    @Override
    public void save(Path file) throws IOException {
        ParamFile.save(file, params());
    }

    @Override
    public void restore(Path file) throws IOException {
        ParamFile.load(file, params());
    }

    @Override
    public void close() {
        manager.close();
    }
}
