package makemore.model;

import makemore.model.autograd.AutogradFields;
import makemore.model.autograd.AutogradModel;
import makemore.model.autograd.Batch;
import makemore.model.tensor.Layers;
import makemore.model.tensor.Tensors;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import makemore.data.Corpus;
import makemore.optim.OptimizerConfig;
import makemore.config.ConfigException;
import makemore.config.FieldSpec;
import makemore.config.Fields;
import makemore.config.RunConfig;

/**
 * Lecture 5's WaveNet-style MLP: embed {@code context} characters, then fuse consecutive pairs in a tree
 * (FlattenConsecutive(2), a bias-free linear layer, BatchNorm1d, tanh) until one vector is left, then the output
 * layer. With block 8, embedding 24 and hidden 128 it is the lecture's 76,579-parameter model. Initial values as
 * the lecture's: linear weights N(0, 1 / fan-in), the output layer's scaled by 0.1; SGD.
 */
final class WaveNet extends AutogradModel implements LanguageModel {
    static final ModelSpec SPEC = new ModelSpec("wavenet", "WaveNet (lecture 5)",
            "Lecture 5: embed the context, fuse consecutive pairs in a tree (linear, BatchNorm, tanh at each level),"
                    + " softmax. SGD.", true,
            Fields.with(List.of(
                    FieldSpec.integer("context", "context", 8, 2, 64, "log",
                            "characters of context: a power of two, one tree level per doubling"),
                    Fields.embDim(24),
                    Fields.hidden(128, "width of every tree level")),
                    Fields.training(0.1, "step", 32, 200_000, 10_000).stream()
                            .map(f -> f.name().equals("decayAt") ? f.withDefault(0.75) : f).toList()),
            WaveNet::new, WaveNet::cost, WaveNet::check);

    static void check(RunConfig cfg) {
        if (Integer.bitCount(cfg.context()) != 1) {
            throw new ConfigException("context", "context must be a power of two (2, 4, 8, 16, 32, 64): each tree"
                    + " level fuses pairs, got " + cfg.context());
        }
    }

    /**
     * Memory: parameters, gradients and SGD's copy; one step's activations at every level and their gradients.
     * Work: level 1 fuses context / 2 pairs of embeddings, each higher level half as many pairs of hidden vectors
     * (context - 1 fused vectors in all, each through BatchNorm and tanh); products three times in a step, about
     * 25 native calls per level with the backward. An evaluation: forward over train and dev.
     */
    static Cost cost(RunConfig cfg, Corpus corpus) {
        long v = corpus.vocab().size();
        long rows = AutogradFields.batchRows(cfg, corpus.tokens());
        long h = cfg.hidden();
        long t = cfg.context();
        long e = cfg.embDim();
        int levels = levels(cfg.context());
        long params = v * e + 2L * e * h + 2 * h * h * levels + 2 * h * v;
        long perRow = t * e + 6 * h * t + 4 * v;
        double macsPerRow = t * e * h + t * h * h * (1 - Math.pow(2, 1 - levels)) + h * v;
        double elemsPerRow = t * e + 9.0 * (t - 1) * h + 5.0 * v;
        Cost.Work step = new Cost.Work(3 * rows * macsPerRow, 3 * rows * elemsPerRow + 4.0 * params,
                30 + 25.0 * levels);
        double n = Cost.evalContexts(corpus, cfg.context());
        Cost.Work eval = new Cost.Work(n * macsPerRow, n * elemsPerRow, (10 + 8.0 * levels) * Math.ceil(n / 8192));
        return new Cost(4 * (3 * params + 2 * rows * perRow), step, eval);
    }

    private static int levels(int context) {
        return Integer.numberOfTrailingZeros(context);
    }

    private final PtNDArray c;
    private final PtNDArray[] w;
    private final Layers.BatchNorm[] bn;
    private final PtNDArray out;
    private final PtNDArray outBias;

    WaveNet(RunConfig cfg, Corpus corpus) {
        super(corpus, Layout.CONTEXT, cfg.context(), cfg.batch(), cfg.seed(),
                new OptimizerConfig("sgd", 0, 0.9, 0.99, 0));
        int emb = cfg.embDim();
        int hidden = cfg.hidden();
        int levels = levels(block);
        c = gaussianParam("C", 1.0, vocab, emb);
        w = new PtNDArray[levels];
        bn = new Layers.BatchNorm[levels];
        for (int l = 0; l < levels; l++) {
            int fanIn = 2 * (l == 0 ? emb : hidden);
            w[l] = gaussianParam("W" + (l + 1), 1 / Math.sqrt(fanIn), fanIn, hidden);
            bn[l] = new Layers.BatchNorm(constantParam("bn" + (l + 1) + ".gain", 1, hidden),
                    constantParam("bn" + (l + 1) + ".bias", 0, hidden), buffer(new float[hidden], hidden),
                    buffer(BatchNormMlp.ones(hidden), hidden), Layers.MOMENTUM);
        }
        out = gaussianParam("W_out", 0.1 / Math.sqrt(hidden), hidden, vocab);
        outBias = constantParam("b_out", 0, vocab);
    }

    @Override
    protected PtNDArray forward(Batch in) {
        PtNDArray idx = in.idx;
        PtNDArray x = in.embedded(Tensors.rows(c, idx)); // [B, T, emb]
        for (int l = 0; l < w.length; l++) {
            x = Tensors.matmul(Layers.flattenConsecutive(x, 2), w[l]);
            x = tap("level " + (l + 1), "tanh", JniUtils.tanh(bn[l].apply(x, training(), measuring())));
        }
        return JniUtils.add(Tensors.matmul(x, out), outBias);
    }

    @Override
    protected PtNDArray tokenEmbedding() {
        return c;
    }
}
