package makemore.model;

import makemore.model.autograd.AutogradFields;
import makemore.model.autograd.AutogradModel;
import makemore.model.autograd.Batch;
import makemore.model.tensor.Layers;
import makemore.model.tensor.Tensors;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import makemore.data.Corpus;
import makemore.optim.OptimizerConfig;
import makemore.config.RunConfig;

/**
 * Lecture 3's MLP with BatchNorm: embed the context, a bias-free linear layer, BatchNorm1d (batch statistics while
 * training, running statistics in evaluation), tanh, then the output layer; SGD. The config's {@code mlp} with
 * {@code batchnorm: true}; the plain MLP keeps its hand-written fast path.
 *
 * <p>{@code init: kaiming}: hidden weights N(0, (5/3)^2 / fan-in) (tanh's gain), output weights N(0, 0.01^2) so the
 * first softmax is near uniform; {@code naive}: every weight N(0, 1), lecture 3's starting point.
 */
final class BatchNormMlp extends AutogradModel implements LanguageModel {
    /**
     * Lecture 3's running-statistics momentum: at batch 32 torch's 0.1 averages only ~10 batches (measured on the
     * 200k-step lecture recipe: dev 2.1163 with 0.001, 2.1178 with 0.1).
     */
    static final double MOMENTUM = 0.001;

    private final int emb;
    private final PtNDArray c;
    private final PtNDArray w1;
    private final Layers.BatchNorm bn;
    private final PtNDArray w2;
    private final PtNDArray b2;

    /**
     * Memory: parameters, their gradients and SGD's copy; a step's activations and their gradients, with slack. A
     * step: each product three times, BatchNorm's and tanh's element-wise work forward and back, SGD over every
     * parameter; about 80 native calls with autograd's backward. An evaluation: forward over train and dev.
     */
    static Cost cost(RunConfig cfg, Corpus corpus) {
        long vocab = corpus.vocab().size();
        long rows = AutogradFields.batchRows(cfg, corpus.tokens());
        long fanIn = (long) cfg.context() * cfg.embDim();
        long h = cfg.hidden();
        long params = vocab * cfg.embDim() + fanIn * h + 2L * h + h * vocab + vocab;
        long activations = rows * (fanIn + 6L * h + 4L * vocab);
        Cost.Work step = new Cost.Work(3.0 * rows * (fanIn * h + h * vocab),
                3.0 * rows * (fanIn + 8.0 * h + 5.0 * vocab) + 4.0 * params, 80);
        double n = Cost.evalContexts(corpus, cfg.context());
        Cost.Work eval = new Cost.Work(n * (fanIn * h + h * vocab), n * (fanIn + 8.0 * h + 5.0 * vocab),
                15 * Math.ceil(n / 8192));
        return new Cost(4 * (3 * params + 2 * activations), step, eval);
    }

    BatchNormMlp(RunConfig cfg, Corpus corpus) {
        super(corpus, Layout.CONTEXT, cfg.context(), cfg.batch(), cfg.seed(),
                new OptimizerConfig("sgd", 0, 0.9, 0.99, 0));
        this.emb = cfg.embDim();
        int fanIn = block * emb;
        int hidden = cfg.hidden();
        boolean naive = Mlp.NAIVE.equals(cfg.init());
        c = gaussianParam("C", 1.0, vocab, emb);
        w1 = gaussianParam("W1", naive ? 1.0 : (5.0 / 3.0) / Math.sqrt(fanIn), fanIn, hidden);
        bn = new Layers.BatchNorm(constantParam("bn.gain", 1, hidden), constantParam("bn.bias", 0, hidden),
                buffer(new float[hidden], hidden), buffer(ones(hidden), hidden), MOMENTUM);
        w2 = gaussianParam("W2", naive ? 1.0 : 0.01, hidden, vocab);
        b2 = naive ? gaussianParam("b2", 1.0, vocab) : constantParam("b2", 0, vocab);
    }

    static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    @Override
    protected PtNDArray forward(Batch in) {
        PtNDArray idx = in.idx;
        long rows = idx.getShape().get(0);
        PtNDArray e = tap("embedding", "embedding",
                Tensors.reshape(in.embedded(Tensors.rows(c, idx)), rows, (long) block * emb));
        PtNDArray pre = tap("batchnorm", "batchnorm", bn.apply(Tensors.matmul(e, w1), training(), measuring()));
        PtNDArray h = tap("hidden", "tanh", JniUtils.tanh(pre));
        return JniUtils.add(Tensors.matmul(h, w2), b2);
    }

    @Override
    protected PtNDArray tokenEmbedding() {
        return c;
    }
}
