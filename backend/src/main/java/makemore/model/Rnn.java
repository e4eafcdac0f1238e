package makemore.model;

import ai.djl.ndarray.NDList;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import makemore.data.Corpus;
import makemore.optim.OptimizerConfig;

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
final class Rnn extends AutogradModel {
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
    protected PtNDArray forward(PtNDArray idx) {
        int t = (int) idx.getShape().get(1);
        // every position's input projections at once, then one [B, 1, *] slice per position
        PtNDArray xp = Nd.linear(JniUtils.embedding(idx, wte, false), wx, bx);
        PtNDArray whT = JniUtils.transpose(wh, 0, 1);
        PtNDArray h = start;
        PtNDArray[] hs = new PtNDArray[t];
        if (!gru) {
            NDList xs = JniUtils.split(xp, 1, 1);
            for (int i = 0; i < t; i++) {
                h = JniUtils.tanh(JniUtils.add((PtNDArray) xs.get(i), Nd.matmul(h, whT)));
                hs[i] = h;
            }
        } else {
            NDList byGate = JniUtils.split(xp, new long[] {2L * hidden, hidden}, 2); // [r z] and hbar (sizes)
            NDList xrz = JniUtils.split((PtNDArray) byGate.get(0), 1, 1);
            NDList xbar = JniUtils.split((PtNDArray) byGate.get(1), 1, 1);
            PtNDArray whBarT = JniUtils.transpose(whBar, 0, 1);
            for (int i = 0; i < t; i++) {
                PtNDArray rz = JniUtils.sigmoid(JniUtils.add((PtNDArray) xrz.get(i), Nd.matmul(h, whT)));
                NDList gates = JniUtils.split(rz, hidden, 2);
                PtNDArray r = (PtNDArray) gates.get(0);
                PtNDArray z = (PtNDArray) gates.get(1);
                PtNDArray hbar = JniUtils.tanh(JniUtils.add((PtNDArray) xbar.get(i),
                        Nd.matmul(JniUtils.mul(r, h), whBarT)));
                h = JniUtils.add(h, JniUtils.mul(z, JniUtils.sub(hbar, h))); // (1 - z) h + z hbar
                hs[i] = h;
            }
        }
        return Nd.linear(JniUtils.cat(hs, 1), headW, headB);
    }

    @Override
    protected PtNDArray tokenEmbedding() {
        return wte;
    }
}
