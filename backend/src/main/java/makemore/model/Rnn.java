package makemore.model;

import makemore.model.autograd.AutogradFields;
import makemore.model.autograd.AutogradModel;
import makemore.model.autograd.Batch;
import makemore.model.tensor.Tensors;
import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import makemore.data.Corpus;
import makemore.optim.OptimizerConfig;
import makemore.config.Fields;
import makemore.config.RunConfig;

/**
 * makemore.py's recurrent language models: a learned start state, token embeddings, one cell applied at each
 * position, a linear head on every hidden state.
 * <ul>
 * <li>{@code rnn}: h = tanh(W [x, h] + b)
 * <li>{@code gru}: r = sigmoid(Wr [x, h] + br); hbar = tanh(Wh [x, r * h] + bh); z = sigmoid(Wz [x, h] + bz);
 * h = (1 - z) h + z hbar
 * </ul>
 * Each weight on [x, h] is kept as its x part and its h part (the same function, initial distribution and AdamW
 * updates, since those act per element), so the x parts of every position run as one matmul before the loop and
 * only the h parts run per step.
 */
final class Rnn extends AutogradModel implements LanguageModel {
    static final ModelSpec RNN_SPEC = spec("rnn", "RNN (makemore.py)",
            "makemore.py's vanilla recurrent net: h = tanh(W [x, h] + b) at each position, a linear head; AdamW.");
    static final ModelSpec GRU_SPEC = spec("gru", "GRU (makemore.py)",
            "makemore.py's gated recurrent unit: reset and update gates decide what of h to keep; AdamW.");

    private static ModelSpec spec(String name, String title, String help) {
        boolean gru = name.equals("gru");
        return new ModelSpec(name, title, help + " Each item is one sequence.", true,
                Fields.with(List.of(
                        AutogradFields.sequenceContext(),
                        Fields.embDim(64),
                        Fields.hidden(64, "recurrent state size (n_embd2)")),
                        makemore.optim.OptimizerConfig.fields("adamw", 0.01),
                        Fields.training(5e-4, "constant", 32, 10000, 500)),
                (cfg, corpus) -> new Rnn(cfg, corpus, gru), (cfg, corpus) -> cost(cfg, corpus, gru), null);
    }

    /**
     * Memory (float32): parameters with gradients and AdamW state (5 copies), plus per position of a step the
     * embedding, input projections, gates and states kept for backward and their gradients, plus the logits. Work:
     * per item and position the input projection, the recurrent product and the head, three times in a step; the
     * cell's loop costs about 4 (rnn) or 12 (gru) native calls per position forward, twice that backward; AdamW
     * touches each parameter about 16 times. An evaluation: forward over train and dev, 512 items a chunk.
     */
    static Cost cost(RunConfig cfg, Corpus corpus, boolean gru) {
        long v = corpus.vocab().size();
        long t = AutogradFields.sequenceBlock(cfg, corpus);
        long e = cfg.embDim();
        long h = cfg.hidden();
        int gates = gru ? 3 : 1;
        long params = h + v * e + gates * (e + h + 1) * h + h * v;
        long items = AutogradFields.batchRows(cfg, corpus.words(Corpus.Part.TRAIN).size());
        long tokens = Math.max(items, 512) * t;
        long perToken = 2 * (e + gates * 4 * h + 4 * v);
        double macsPerItem = t * (e * gates * h + gates * h * h + h * v);
        double elemsPerItem = t * (e + gates * h + (gru ? 10.0 : 2.0) * h + 5.0 * v);
        double callsForward = 10 + (gru ? 12.0 : 4.0) * t;
        Cost.Work step = new Cost.Work(3 * items * macsPerItem, 3 * items * elemsPerItem + 16.0 * params,
                3 * callsForward + 2 * (gru ? 7 : 6));
        double n = Cost.evalItems(corpus);
        Cost.Work eval = new Cost.Work(n * macsPerItem, n * elemsPerItem, callsForward * Math.ceil(n / 512));
        return new Cost(4 * (5 * params + tokens * perToken), step, eval);
    }

    private final boolean gru;
    private final int hidden;
    private final PtNDArray wte;
    private final PtNDArray start;
    private final PtNDArray wx; // [gates * hidden, emb]: rnn one gate; gru r, z, hbar
    private final PtNDArray bx;
    private final PtNDArray wh; // rnn: [hidden, hidden]; gru: r and z [2 hidden, hidden]
    private final PtNDArray whBar; // gru only: hbar's h part [hidden, hidden]
    private final PtNDArray headW;
    private final PtNDArray headB;

    Rnn(RunConfig cfg, Corpus corpus, boolean gru) {
        this(corpus, gru, AutogradFields.sequenceBlock(cfg, corpus), cfg.embDim(), cfg.hidden(), cfg.batch(), cfg.seed(),
                OptimizerConfig.of(cfg));
    }

    Rnn(Corpus corpus, boolean gru, int block, int emb, int hidden, int batch, long seed, OptimizerConfig opt) {
        super(corpus, Layout.SEQUENCE, block, batch, seed, opt);
        this.gru = gru;
        this.hidden = hidden;
        int fanIn = emb + hidden;
        start = constantParam("start", 0, 1, 1, hidden);
        wte = gaussianParam("wte", 1, vocab, emb);
        int gates = gru ? 3 : 1;
        wx = uniformParam("cell.x_weight", fanIn, (long) gates * hidden, emb);
        bx = uniformParam("cell.bias", fanIn, (long) gates * hidden);
        wh = uniformParam("cell.h_weight", fanIn, (gru ? 2L : 1L) * hidden, hidden);
        whBar = gru ? uniformParam("cell.hbar_h_weight", fanIn, hidden, hidden) : null;
        headW = uniformParam("lm_head.weight", hidden, vocab, hidden);
        headB = uniformParam("lm_head.bias", hidden, vocab);
    }

    @Override
    protected PtNDArray forward(Batch in) {
        PtNDArray idx = in.idx;
        int t = in.length;
        // every position's input projections at once, then one [B, 1, *] slice per position
        PtNDArray xp = Tensors.linear(in.embedded(JniUtils.embedding(idx, wte, false)), wx, bx);
        PtNDArray whT = JniUtils.transpose(wh, 0, 1);
        PtNDArray h = start;
        PtNDArray[] hs = new PtNDArray[t];
        if (!gru) {
            NDList xs = JniUtils.split(xp, 1, 1);
            for (int i = 0; i < t; i++) {
                h = tap("hidden", "tanh", JniUtils.tanh(JniUtils.add((PtNDArray) xs.get(i), Tensors.matmul(h, whT))));
                hs[i] = h;
            }
        } else {
            NDList byGate = JniUtils.split(xp, new long[] {2L * hidden, hidden}, 2); // [r z] and hbar (sizes)
            NDList xrz = JniUtils.split((PtNDArray) byGate.get(0), 1, 1);
            NDList xbar = JniUtils.split((PtNDArray) byGate.get(1), 1, 1);
            PtNDArray whBarT = JniUtils.transpose(whBar, 0, 1);
            for (int i = 0; i < t; i++) {
                PtNDArray rz = JniUtils.sigmoid(JniUtils.add((PtNDArray) xrz.get(i), Tensors.matmul(h, whT)));
                NDList gates = JniUtils.split(rz, hidden, 2);
                PtNDArray r = (PtNDArray) gates.get(0);
                PtNDArray z = tap("update gate", "sigmoid", (PtNDArray) gates.get(1));
                PtNDArray hbar = tap("candidate", "tanh", JniUtils.tanh(JniUtils.add((PtNDArray) xbar.get(i),
                        Tensors.matmul(JniUtils.mul(r, h), whBarT))));
                // (1 - z) h + z hbar: a blend of tanh values, no tanh of its own, so no saturation to count
                h = tap("hidden", "state", JniUtils.add(h, JniUtils.mul(z, JniUtils.sub(hbar, h))));
                hs[i] = h;
            }
        }
        return Tensors.linear(JniUtils.cat(hs, 1), headW, headB);
    }

    @Override
    protected PtNDArray tokenEmbedding() {
        return wte;
    }
}
