package makemore.model;

import makemore.model.autograd.AutogradFields;
import makemore.model.autograd.AutogradModel;
import makemore.model.autograd.Batch;
import makemore.model.tensor.Tensors;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import makemore.data.Corpus;
import makemore.optim.OptimizerConfig;
import makemore.config.ConfigException;
import makemore.config.FieldSpec;
import makemore.config.Fields;
import makemore.config.RunConfig;

/**
 * makemore.py's Transformer (GPT-2's decoder): token + position embeddings, {@code layers} pre-LayerNorm blocks of
 * causal multi-head self-attention and a 4x GELU MLP, a final LayerNorm and a bias-free head. Initial values as
 * torch's defaults (Linear U(+-1/sqrt(fan in)), Embedding N(0, 1), LayerNorm 1 and 0).
 *
 * <p>One deliberate difference: the GELU is libtorch's exact (erf) form, the one fused GELU kernel DJL 0.32
 * exposes, where makemore.py composes the tanh approximation from five ops; the two differ by under 5e-4 anywhere.
 * Attention is written out (DJL exposes no scaled-dot-product kernel) with Q, K and V from one fused matmul and
 * all heads in one batched matmul.
 */
final class Transformer extends AutogradModel implements LanguageModel {
    static final ModelSpec SPEC = new ModelSpec("transformer", "Transformer (makemore.py)",
            "makemore.py's GPT-2 style decoder: token and position embeddings, pre-LayerNorm blocks of causal"
                    + " multi-head self-attention and a GELU MLP; AdamW. Each item is one sequence.", true,
            Fields.with(List.of(
                    AutogradFields.sequenceContext(),
                    FieldSpec.integer("layers", "layers", 4, 1, 32, "lin", "transformer blocks (n_layer)"),
                    FieldSpec.integer("heads", "heads", 4, 1, 64, "lin",
                            "attention heads per block (n_head); must divide embDim"),
                    Fields.embDim(64),
                    FieldSpec.real("dropout", "dropout", 0, 0, 0.9, "lin",
                            "fraction of activations zeroed while training, after the embeddings and each block's"
                                    + " attention and MLP (0 = none, as makemore.py)")),
                    OptimizerConfig.fields("adamw", 0.01),
                    Fields.training(5e-4, "constant", 32, 10000, 500)),
            Transformer::new, Transformer::cost, Transformer::check);

    static void check(RunConfig cfg) {
        if (cfg.embDim() % cfg.heads() != 0) {
            throw new ConfigException("heads", "embDim " + cfg.embDim() + " must be divisible by heads " + cfg.heads()
                    + " (each head takes embDim / heads of the channels)");
        }
    }

    /**
     * Memory (float32): parameters, their gradients, AdamW's two moments and its temporaries (5 copies), plus one
     * training step's activations kept for backward and their gradients (about 18 embDim + 2 heads x block per
     * position and layer, doubled), plus the logits. Work: per real token and layer 12 embDim^2 multiply-adds and
     * about 35 embDim element-wise; per item and layer attention's two [T, T] products over the grid (T the block
     * rounded up to {@link #ALIGN}) and its softmax; three times that in a step, about 25 native calls per layer
     * forward, AdamW about 16 touches per parameter. An evaluation: forward over train and dev, 512 items a chunk.
     */
    static Cost cost(RunConfig cfg, Corpus corpus) {
        long v = corpus.vocab().size();
        long t = AutogradFields.sequenceBlock(cfg, corpus);
        long c = cfg.embDim();
        long layers = cfg.layers();
        long params = v * c + t * c + layers * (12 * c * c + 13 * c) + 2 * c + v * c;
        long items = AutogradFields.batchRows(cfg, corpus.words(Corpus.Part.TRAIN).size());
        long tokens = Math.max(items, 512) * t;
        long perToken = 2 * (layers * (18 * c + 2L * cfg.heads() * t) + 4 * v);
        double grid = (t + ALIGN - 1) / ALIGN * ALIGN;
        double real = Cost.tokensPerItem(corpus);
        double macsPerItem = layers * (12.0 * c * c * real + 2 * grid * grid * c) + real * c * v;
        double elemsPerItem = layers * (35.0 * c * real + 4.0 * c * grid + 5.0 * cfg.heads() * grid * grid)
                + 5.0 * real * v;
        double callsForward = 15 + 25.0 * layers;
        Cost.Work step = new Cost.Work(3 * items * macsPerItem, 3 * items * elemsPerItem + 16.0 * params,
                3 * callsForward + 2 * (12 * layers + 5));
        double n = Cost.evalItems(corpus);
        Cost.Work eval = new Cost.Work(n * macsPerItem, n * elemsPerItem, callsForward * Math.ceil(n / 512));
        return new Cost(4 * (5 * params + tokens * perToken), step, eval);
    }

    private final int heads;
    private final int emb;
    private final double drop;
    private final PtNDArray wte;
    private final PtNDArray wpe;
    private final PtNDArray[][] blocks;
    private final String[][] tapNames; // per block: attention, GELU, residual stream (made once, not per step)
    private final PtNDArray lnfW;
    private final PtNDArray lnfB;
    private final PtNDArray head;
    private final PtNDArray scale;
    private final PtNDArray[] masks;
    private List<PtNDArray> attentionOut; // non-null while attention() records each block's weights

    // indices into a block's parameters
    private static final int LN1W = 0, LN1B = 1, QKVW = 2, QKVB = 3, PROJW = 4, PROJB = 5, LN2W = 6, LN2B = 7,
            FCW = 8, FCB = 9, FC2W = 10, FC2B = 11;

    Transformer(RunConfig cfg, Corpus corpus) {
        this(corpus, AutogradFields.sequenceBlock(cfg, corpus), cfg.layers(), cfg.heads(), cfg.embDim(), cfg.batch(),
                cfg.seed(), OptimizerConfig.of(cfg), cfg.dropout());
    }

    Transformer(Corpus corpus, int block, int layers, int heads, int emb, int batch, long seed, OptimizerConfig opt) {
        this(corpus, block, layers, heads, emb, batch, seed, opt, 0);
    }

    Transformer(Corpus corpus, int block, int layers, int heads, int emb, int batch, long seed, OptimizerConfig opt,
            double dropout) {
        super(corpus, Layout.SEQUENCE, block, batch, seed, opt);
        this.drop = dropout;
        this.heads = heads;
        this.emb = emb;
        wte = gaussianParam("wte", 1, vocab, emb);
        wpe = gaussianParam("wpe", 1, block, emb);
        blocks = new PtNDArray[layers][];
        tapNames = new String[layers][];
        for (int l = 0; l < layers; l++) {
            String n = "h" + l + ".";
            String shown = "block " + (l + 1);
            tapNames[l] = new String[] {shown + " attn", shown + " gelu", shown + " out"};
            blocks[l] = new PtNDArray[] {
                constantParam(n + "ln_1.weight", 1, emb), constantParam(n + "ln_1.bias", 0, emb),
                uniformParam(n + "attn.c_attn.weight", emb, 3L * emb, emb),
                uniformParam(n + "attn.c_attn.bias", emb, 3L * emb),
                uniformParam(n + "attn.c_proj.weight", emb, emb, emb), uniformParam(n + "attn.c_proj.bias", emb, emb),
                constantParam(n + "ln_2.weight", 1, emb), constantParam(n + "ln_2.bias", 0, emb),
                uniformParam(n + "mlp.c_fc.weight", emb, 4L * emb, emb),
                uniformParam(n + "mlp.c_fc.bias", emb, 4L * emb),
                uniformParam(n + "mlp.c_proj.weight", 4 * emb, emb, 4L * emb),
                uniformParam(n + "mlp.c_proj.bias", 4 * emb, emb)};
        }
        lnfW = constantParam("ln_f.weight", 1, emb);
        lnfB = constantParam("ln_f.bias", 0, emb);
        head = uniformParam("lm_head.weight", emb, vocab, emb);
        scale = constant(new float[] {(float) (1 / Math.sqrt(emb / (double) heads))});
        masks = new PtNDArray[(block + ALIGN - 1) / ALIGN * ALIGN + 1];
    }

    /**
     * The attention grid is a multiple of 16 long: libtorch 2.5's CPU softmax over a last dimension shorter than
     * 16 takes about 10x as long as over 16 (measured: 356 us for T = 13 against 35 us for T = 16 at batch 32).
     */
    static final int ALIGN = 16;

    @Override
    protected int gridAlign() {
        return ALIGN;
    }

    /** [T, T] additive causal mask: 0 where a position may look (itself and before), -inf after. */
    private PtNDArray mask(int t) {
        if (masks[t] == null) {
            float[] m = new float[t * t];
            for (int i = 0; i < t; i++) {
                for (int j = i + 1; j < t; j++) {
                    m[i * t + j] = Float.NEGATIVE_INFINITY;
                }
            }
            masks[t] = constant(m, t, t);
        }
        return masks[t];
    }

    /**
     * Position-wise layers run on the real positions only ([N, C]); attention runs on the [B, T] grid, so its
     * causal mask keeps real positions from ever seeing the padding.
     */
    @Override
    protected PtNDArray forward(Batch in) {
        long b = in.items;
        int t = in.length;
        int hs = emb / heads;
        Shape norm = new Shape(emb);
        PtNDArray x = dropout(JniUtils.add(in.embedded(Tensors.rows(wte, in.tokens)),
                Tensors.rows(wpe, in.positions)), drop);
        PtNDArray mask = mask(t);
        for (int l = 0; l < blocks.length; l++) {
            PtNDArray[] p = blocks[l];
            String[] name = tapNames[l];
            PtNDArray h = JniUtils.layerNorm(x, norm, p[LN1W], p[LN1B], 1e-5);
            // [N, 3C] -> grid [B, T, 3, heads, hs] -> [3, B, heads, T, hs] -> q, k, v of [1, B, heads, T, hs]
            PtNDArray qkv = JniUtils.permute(Tensors.reshape(in.toGrid(Tensors.linear(h, p[QKVW], p[QKVB])), b, t, 3, heads,
                    hs), new long[] {2, 0, 3, 1, 4});
            NDList parts = JniUtils.split(qkv, 1, 0);
            PtNDArray q = (PtNDArray) parts.get(0);
            PtNDArray k = (PtNDArray) parts.get(1);
            PtNDArray v = (PtNDArray) parts.get(2);
            PtNDArray att = JniUtils.mul(JniUtils.matmul(q, JniUtils.transpose(k, 3, 4)), scale);
            att = JniUtils.softmax(JniUtils.add(att, mask), 4, DataType.FLOAT32);
            if (attentionOut != null) {
                attentionOut.add(att);
            }
            PtNDArray y = in.fromGrid(JniUtils.permute(JniUtils.matmul(att, v), new long[] {1, 3, 0, 2, 4}));
            x = JniUtils.add(x, dropout(tap(name[0], "attention", Tensors.linear(y, p[PROJW], p[PROJB])), drop));
            h = JniUtils.layerNorm(x, norm, p[LN2W], p[LN2B], 1e-5);
            PtNDArray hidden = tap(name[1], "gelu", JniUtils.gelu(Tensors.linear(h, p[FCW], p[FCB])));
            x = tap(name[2], "residual", JniUtils.add(x, dropout(Tensors.linear(hidden, p[FC2W], p[FC2B]), drop)));
        }
        return Tensors.linear(JniUtils.layerNorm(x, norm, lnfW, lnfB, 1e-5), head, null);
    }

    /** The weights each block's softmax gives, read from one evaluation-mode forward pass over the one item. */
    @Override
    public float[][][][] attention(int[] ids) {
        Tensors.noAutograd();
        int t = ids.length + 1;
        try (NDScope scope = new NDScope()) {
            attentionOut = new ArrayList<>();
            Batch in = Batch.sequences(manager, List.<int[]>of(ids), ALIGN);
            forward(in);
            int g = in.length; // the grid is padded past t; a causal row never reaches the padding
            float[][][][] out = new float[blocks.length][heads][t][t];
            for (int l = 0; l < blocks.length; l++) {
                float[] a = attentionOut.get(l).toFloatArray(); // [1, 1, heads, g, g]
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < t; i++) {
                        System.arraycopy(a, (h * g + i) * g, out[l][h][i], 0, t);
                    }
                }
            }
            return out;
        } finally {
            attentionOut = null;
        }
    }

    @Override
    protected PtNDArray tokenEmbedding() {
        return wte;
    }
}
