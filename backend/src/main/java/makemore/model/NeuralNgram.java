package makemore.model;

import makemore.model.count.NgramTable;
import makemore.model.tensor.LossSum;
import makemore.model.tensor.ParamFile;
import makemore.model.tensor.Tensors;
import makemore.event.EmbeddingPoint;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import makemore.data.Contexts;
import makemore.data.Corpus;
import makemore.data.Vocabulary;
import makemore.config.ConfigException;
import makemore.config.Fields;
import makemore.config.RunConfig;

/**
 * Lecture 1's neural bigram, for any context: logits = W[context], softmax, cross-entropy plus l2 * mean(W^2).
 * With l2 = 0 its optimum is the count model with k = 0; l2 plays the role of smoothing.
 *
 * <p>Full-batch steps use the count form of the gradient, (row total x softmax(W) - counts) / tokens, which equals
 * the per-example sum exactly and costs a few ops on the table instead of work per token.
 */
final class NeuralNgram implements LanguageModel {
    static final long MAX_WEIGHTS = 4L << 20;
    static final long MAX_INPUT_FLOATS = 8L << 20;

    private final Corpus corpus;
    private final int vocab;
    private final int block;
    private final int tableRows;
    private final double l2;
    private final boolean fullBatch;
    private final int batch;
    private final PtNDManager manager;
    private final Contexts train;
    private final Random batchRng;
    private final Map<Corpus.Part, PtNDArray> counts = new EnumMap<>(Corpus.Part.class);
    private final PtNDArray trainRows;
    private final LossSum loss; // log-likelihoods of the targets
    private final ByteBuffer input;
    private final float[] zeros;
    final PtNDArray w;

    static final ModelSpec SPEC = new ModelSpec("neural", "neural n-gram",
            "One linear layer over the one-hot context, softmax, L2 on the weights (lecture: lr 50, full batch).", true,
            Fields.with(List.of(
                    Fields.context(1, 3, "characters of context (1 = bigram); the table has V^context rows"),
                    Fields.l2(0.01)),
                    Fields.training(50, "constant", 0, 200, 20)),
            NeuralNgram::new, NeuralNgram::cost, null);

    /**
     * Memory: the weight table and its gradient, the count tables of three splits, and a minibatch's one-hot input.
     * A full-batch step is about a dozen element-wise passes over the [V^context, V] table; a minibatch step writes
     * its one-hot input and multiplies it by the table twice. An evaluation: two passes over the table per split.
     */
    static Cost cost(RunConfig cfg, Corpus corpus) {
        int vocab = corpus.vocab().size();
        double rows = Math.pow(vocab, cfg.context());
        if (rows * vocab > MAX_WEIGHTS) {
            throw new ConfigException("context", "a neural n-gram with context " + cfg.context() + " over " + vocab
                    + " characters needs " + (long) (rows * vocab) + " weights; the limit is " + MAX_WEIGHTS
                    + ": lower context or use the mlp");
        }
        double input = cfg.batch() == 0 ? 0 : (double) cfg.batch() * (rows + vocab);
        if (input > MAX_INPUT_FLOATS) {
            throw new ConfigException("batch", "batch x (table rows + vocabulary) = " + (long) input
                    + " one-hot inputs per step; the limit is " + MAX_INPUT_FLOATS + ": lower batch or context");
        }
        double table = rows * vocab;
        Cost.Work step = cfg.batch() == 0 ? new Cost.Work(0, 12 * table, 12)
                : new Cost.Work(2.0 * cfg.batch() * table, 4 * table + 2 * input + 5.0 * cfg.batch() * vocab, 15);
        Cost.Work eval = new Cost.Work(0, 12 * table + 10 * Cost.evalTokens(corpus), 16);
        return new Cost((long) (4 * (6 * table + input)), step, eval);
    }

    NeuralNgram(RunConfig cfg, Corpus corpus) {
        this.corpus = corpus;
        this.vocab = corpus.vocab().size();
        this.block = cfg.context();
        long rows = (long) Math.pow(vocab, block);
        cost(cfg, corpus); // the size limits, also when built without the registry's check
        this.tableRows = (int) rows;
        this.l2 = cfg.l2();
        this.manager = Tensors.newManager();
        this.train = corpus.contexts(Corpus.Part.TRAIN, block);
        this.fullBatch = cfg.batch() == 0 || cfg.batch() >= train.size();
        this.batch = fullBatch ? train.size() : cfg.batch();
        long inputFloats = fullBatch ? 0 : (long) batch * (tableRows + vocab);
        this.input = ByteBuffer.allocateDirect((int) inputFloats * 4).order(ByteOrder.nativeOrder());
        this.zeros = new float[(int) inputFloats];
        this.batchRng = new Random(cfg.seed() + 1);
        this.w = Tensors.gaussian(manager, new Random(cfg.seed()), 1.0, tableRows, vocab);
        this.loss = new LossSum((PtNDArray) manager.zeros(new Shape()), -1);
        Tensors.noAutograd();
        this.trainRows = JniUtils.sum(countsOf(Corpus.Part.TRAIN), new long[] {1}, true);
    }

    /** Dense [table rows, V] counts of a split's (context, next) pairs, uploaded once. */
    private PtNDArray countsOf(Corpus.Part part) {
        return counts.computeIfAbsent(part, p -> {
            Contexts ctx = p == Corpus.Part.TRAIN ? train : corpus.contexts(p, block);
            float[] m = new float[tableRows * vocab];
            for (int i = 0; i < ctx.size(); i++) {
                m[(int) NgramTable.context(ctx, i, vocab) * vocab + ctx.y()[i]]++;
            }
            PtNDArray a = (PtNDArray) manager.create(m, new Shape(tableRows, vocab));
            NDScope.unregister(a); // cached across steps: the step's scope must not close it
            return a;
        });
    }

    @Override
    public boolean trainable() {
        return true;
    }

    @Override
    public void step(double lr) {
        Tensors.noAutograd();
        try (NDScope scope = new NDScope()) {
            if (fullBatch) {
                PtNDArray n = countsOf(Corpus.Part.TRAIN);
                PtNDArray logp = JniUtils.logSoftmax(w, 1, DataType.FLOAT32);
                loss.add(JniUtils.sum(JniUtils.mul(n, logp)), batch);
                PtNDArray grad = JniUtils.mul(JniUtils.exp(logp), trainRows);
                JniUtils.subi(grad, n);
                Tensors.sgd(w, grad, lr, 1.0 / train.size(), 2 * l2 / w.size());
            } else {
                fillBatch();
                // a new array each step, closed with it: right whether libtorch reads the buffer in place (CPU) or
                // DJL copies it now (GPU), since the buffer is rewritten only after this step's arrays are gone
                PtNDArray onehots = Tensors.floats(manager, input, (long) batch * (tableRows + vocab));
                PtNDArray ohC = Tensors.reshape(Tensors.rowsOf(onehots, 0, (long) batch * tableRows), batch, tableRows);
                PtNDArray ohY = Tensors.reshape(Tensors.rowsOf(onehots, (long) batch * tableRows, input.capacity() / 4L),
                        batch, vocab);
                PtNDArray logp = JniUtils.logSoftmax(Tensors.matmul(ohC, w), 1, DataType.FLOAT32);
                loss.add(JniUtils.sum(JniUtils.mul(logp, ohY)), batch);
                PtNDArray dLogits = JniUtils.exp(logp);
                JniUtils.subi(dLogits, ohY);
                Tensors.sgd(w, Tensors.matmulT(ohC, dLogits), lr, 1.0 / batch, 2 * l2 / w.size());
            }
        }
    }

    private void fillBatch() {
        FloatBuffer f = input.asFloatBuffer();
        f.put(zeros);
        int yBase = batch * tableRows;
        for (int i = 0; i < batch; i++) {
            int r = batchRng.nextInt(train.size());
            f.put(i * tableRows + (int) NgramTable.context(train, r, vocab), 1f);
            f.put(yBase + i * vocab + train.y()[r], 1f);
        }
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
            return l2 * w.square().mean().getFloat();
        }
    }

    @Override
    public double nll(Corpus.Part part) {
        Tensors.noAutograd();
        try (NDScope scope = new NDScope()) {
            PtNDArray n = countsOf(part);
            PtNDArray logp = JniUtils.logSoftmax(w, 1, DataType.FLOAT32);
            double total = JniUtils.sum(JniUtils.mul(n, logp)).toType(DataType.FLOAT64, false).getDouble();
            double tokens = JniUtils.sum(n).getFloat();
            return -total / tokens;
        }
    }

    @Override
    public Vocabulary vocab() {
        return corpus.vocab();
    }

    @Override
    public double[] nextLogProbs(int[][] prefixes) {
        Tensors.noAutograd();
        Contexts ctx = Contexts.after(prefixes, block);
        int[] rows = new int[prefixes.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (int) NgramTable.context(ctx, i, vocab);
        }
        try (NDScope scope = new NDScope()) {
            PtNDArray w1 = Tensors.rows(w, (PtNDArray) Tensors.ids(manager, rows, rows.length));
            return Tensors.toDoubles(w1.logSoftmax(1));
        }
    }

    @Override
    public List<EmbeddingPoint> embedding() {
        return List.of();
    }

    @Override
    public void save(Path file) throws IOException {
        ParamFile.save(file, List.of(w));
    }

    @Override
    public void restore(Path file) throws IOException {
        ParamFile.load(file, List.of(w));
    }

    @Override
    public void close() {
        manager.close();
    }
}
