package makemore.model;

import ai.djl.Device;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import makemore.config.RunConfig;
import makemore.data.Contexts;
import makemore.data.Corpus;
import makemore.model.tensor.OneHotBatches;
import makemore.model.tensor.ParamArena;
import makemore.model.tensor.Tensors;

/**
 * K MLPs of the same sizes as one: every parameter gets a leading K dimension and {@link Mlp#step}'s hand-written
 * forward and backward become batched products over it, so K points cost one step's ~35 native calls instead of K
 * times that. Each slot starts from its own solo {@link Mlp} (the same initialisation), draws its batches from its
 * own {@code Random(seed + 1)} exactly as the solo model's one-hot batches do, and is updated at its own learning
 * rate and L2: a point's trajectory is its solo run's up to the order of float reductions.
 */
final class MlpGroup extends ModelGroup {
    static final ModelSpec.Group GROUP = new ModelSpec.Group() {
        @Override
        public String shapeKey(RunConfig cfg) {
            return Boolean.TRUE.equals(cfg.batchnorm()) ? null : "mlp context " + cfg.context() + " embDim "
                    + cfg.embDim() + " hidden " + cfg.hidden() + " batch " + cfg.batch();
        }

        @Override
        public List<LanguageModel> members(List<RunConfig> cfgs, Corpus corpus) {
            return new MlpGroup(cfgs, corpus).members;
        }
    };

    private final List<LanguageModel> members = new ArrayList<>();
    private final List<Mlp> solo = new ArrayList<>();
    private final PtNDManager manager;
    private final int k;
    private final int batch;
    private final int block;
    private final int vocab;
    private final int emb;
    private final int hidden;
    private final float[] l2;
    private final boolean decay;
    private final PtNDArray c; // [K, V, emb]
    private final PtNDArray w1; // [K, hidden, block * emb]
    private final PtNDArray b1; // [K, 1, hidden]
    private final PtNDArray w2; // [K, V, hidden]
    private final PtNDArray b2; // [K, 1, V]
    private final PtNDArray w1T;
    private final PtNDArray w2T;
    private final PtNDArray ones; // [1, B]: bias gradients as one product
    private final PtNDArray loss; // log-probabilities of the targets, [K, B, V]
    private final PtNDArray zero;
    // the one-hot batches of every slot: slot k's contexts then targets at k * n in one buffer and one device array
    private final Contexts train;
    private final Random[] draws;
    private final FloatBuffer floats;
    private final int[][] hot;
    private final int n;
    private final PtNDArray staging;
    private final PtNDArray device;
    private final PtNDArray x; // [K, B * block, V]
    private final PtNDArray xT;
    private final PtNDArray y; // [K, B, V]

    private MlpGroup(List<RunConfig> cfgs, Corpus corpus) {
        super(cfgs.size());
        this.k = cfgs.size();
        RunConfig first = cfgs.get(0);
        this.block = first.context();
        this.emb = first.embDim();
        this.hidden = first.hidden();
        this.vocab = corpus.vocab().size();
        this.manager = Tensors.newManager();
        this.train = corpus.contexts(Corpus.Part.TRAIN, block);
        this.batch = first.batch() == 0 ? train.size() : Math.min(first.batch(), train.size());
        this.l2 = new float[k];
        this.draws = new Random[k];
        boolean anyDecay = false;
        for (int i = 0; i < k; i++) {
            RunConfig cfg = cfgs.get(i);
            if (!GROUP.shapeKey(first).equals(GROUP.shapeKey(cfg))) {
                throw new IllegalArgumentException("point " + i + " has other shapes than point 0: " + GROUP.shapeKey(cfg));
            }
            Mlp m = new Mlp(cfg, corpus); // its initialisation, and later its evaluations
            solo.add(m);
            members.add(new GroupMember(this, i, m, cfg.steps(), cfg.l2() > 0));
            l2[i] = (float) (double) cfg.l2();
            anyDecay |= cfg.l2() > 0;
            draws[i] = new Random(cfg.seed() + 1); // as the solo model's batches
        }
        this.decay = anyDecay;
        int fanIn = block * emb;
        c = slots(vocab, emb);
        w1 = slots(hidden, fanIn);
        b1 = slots(1, hidden);
        w2 = slots(vocab, hidden);
        b2 = slots(1, vocab);
        for (int i = 0; i < k; i++) {
            copyIn(i);
        }
        w1T = ParamArena.keep(JniUtils.transpose(w1, 1, 2));
        w2T = ParamArena.keep(JniUtils.transpose(w2, 1, 2));
        ones = ParamArena.keep((PtNDArray) manager.ones(new Shape(1, batch)));
        loss = ParamArena.keep((PtNDArray) manager.zeros(new Shape(k, batch, vocab)));
        zero = ParamArena.keep(Tensors.scalar(manager, 0f));
        int rowsX = batch * block;
        this.n = Math.toIntExact(OneHotBatches.floats(batch, block, vocab));
        this.hot = new int[k][rowsX + batch];
        ByteBuffer bytes = ByteBuffer.allocateDirect(Math.multiplyExact(n, k) * 4).order(ByteOrder.nativeOrder());
        this.floats = bytes.asFloatBuffer();
        this.staging = ParamArena.keep(JniUtils.createNdFromByteBuffer(manager, bytes, new Shape((long) k * n),
                DataType.FLOAT32, SparseFormat.DENSE, Device.cpu()));
        this.device = ParamArena.keep((PtNDArray) manager.zeros(new Shape(k, n)));
        long nx = (long) rowsX * vocab;
        this.x = ParamArena.keep(Tensors.reshape(JniUtils.slice(device, 1, 0, nx, 1), k, rowsX, vocab));
        this.xT = ParamArena.keep(JniUtils.transpose(x, 1, 2));
        this.y = ParamArena.keep(Tensors.reshape(JniUtils.slice(device, 1, nx, n, 1), k, batch, vocab));
    }

    private PtNDArray slots(long rows, long cols) {
        return ParamArena.keep((PtNDArray) manager.zeros(new Shape(k, rows, cols)));
    }

    /** Slot {@code i} of a [K, rows, cols] parameter, as a [rows, cols] view. */
    private static PtNDArray slot(PtNDArray p, int i) {
        long[] s = p.getShape().getShape();
        return Tensors.reshape(JniUtils.slice(p, 0, i, i + 1, 1), s[1], s[2]);
    }

    private static void copy(PtNDArray to, PtNDArray from) {
        long[] shape = to.getShape().getShape();
        JniUtils.indexSet(to, Tensors.reshape(from, shape), new long[shape.length], shape, filled(shape.length));
    }

    private static long[] filled(int n) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    private PtNDArray[] soloParams(int i) {
        Mlp m = solo.get(i);
        return new PtNDArray[] {m.c, m.w1, m.b1, m.w2, m.b2};
    }

    private PtNDArray[] groupParams() {
        return new PtNDArray[] {c, w1, b1, w2, b2};
    }

    @Override
    void copyOut(int i) {
        copySlot(i, true);
    }

    @Override
    void copyIn(int i) {
        copySlot(i, false);
    }

    /** Slot {@code i}'s parameters to its solo model ({@code out}) or back. */
    private void copySlot(int i, boolean out) {
        try (NDScope scope = new NDScope()) {
            PtNDArray[] own = soloParams(i);
            PtNDArray[] group = groupParams();
            for (int p = 0; p < own.length; p++) {
                if (out) {
                    copy(own[p], slot(group[p], i));
                } else {
                    copy(slot(group[p], i), own[p]);
                }
            }
        }
    }

    @Override
    long batchRows() {
        return batch;
    }

    @Override
    float[] readLossSums() {
        try (NDScope scope = new NDScope()) {
            float[] s = JniUtils.sum(loss, new long[] {1, 2}, false).toFloatArray();
            JniUtils.muli(loss, zero);
            for (int i = 0; i < s.length; i++) {
                s[i] = -s[i]; // log-likelihoods summed: the loss is their negative
            }
            return s;
        }
    }

    /** Every slot's next batch into the buffer (as {@code OneHotBatches}: the same rows for the same seed), one copy. */
    private void nextBatches() {
        int size = train.size();
        int[] tx = train.x();
        int[] ty = train.y();
        int rowsX = batch * block;
        for (int s = 0; s < k; s++) {
            int base = s * n;
            int[] h = hot[s];
            for (int p : h) {
                floats.put(base + p, 0f);
            }
            for (int i = 0; i < batch; i++) {
                int r = batch == size ? i : draws[s].nextInt(size);
                for (int j = 0; j < block; j++) {
                    int row = i * block + j;
                    h[row] = row * vocab + tx[r * block + j];
                }
                h[rowsX + i] = (rowsX + i) * vocab + ty[r];
            }
            for (int p : h) {
                floats.put(base + p, 1f);
            }
        }
        JniUtils.indexSet(device, Tensors.reshape(staging, k, n), new long[] {0, 0}, new long[] {k, n},
                new long[] {1, 1});
    }

    /** Mlp.step for K slots: the same products, batched over the leading dimension, each slot at its own rate. */
    @Override
    void stepAll(float[] lr) {
        Tensors.noAutograd();
        nextBatches();
        int b = batch;
        try (NDScope scope = new NDScope()) {
            PtNDArray e = Tensors.reshape(JniUtils.matmul(x, c), k, b, (long) block * emb);
            PtNDArray pre = JniUtils.matmul(e, w1T);
            JniUtils.addi(pre, b1);
            PtNDArray h = JniUtils.tanh(pre);
            PtNDArray logits = JniUtils.matmul(h, w2T);
            JniUtils.addi(logits, b2);
            PtNDArray logp = JniUtils.logSoftmax(logits, 2, DataType.FLOAT32);
            PtNDArray dLogits = JniUtils.exp(logp);
            JniUtils.subi(dLogits, y);
            JniUtils.muli(logp, y);
            JniUtils.addi(loss, logp);
            float[] scale = new float[k];
            for (int i = 0; i < k; i++) {
                scale[i] = (float) (-lr[i] / b); // as the solo step's -lr / B, so every gradient below is an update
            }
            JniUtils.muli(dLogits, perSlot(scale));
            PtNDArray dW2 = JniUtils.matmul(JniUtils.transpose(dLogits, 1, 2), h);
            PtNDArray dB2 = JniUtils.matmul(ones, dLogits);
            PtNDArray dPre = JniUtils.matmul(dLogits, w2);
            PtNDArray t = JniUtils.mul(dPre, h);
            JniUtils.muli(t, h);
            JniUtils.subi(dPre, t); // dH * (1 - h^2)
            PtNDArray dW1 = JniUtils.matmul(JniUtils.transpose(dPre, 1, 2), e);
            PtNDArray dB1 = JniUtils.matmul(ones, dPre);
            PtNDArray dE = Tensors.reshape(JniUtils.matmul(dPre, w1), k, (long) b * block, emb);
            PtNDArray dC = JniUtils.matmul(xT, dE);
            if (decay) { // l2 * mean(W^2) per weight matrix: SGD's weight decay 2 * l2 / numel, before the step
                shrink(c, lr, vocab * emb);
                shrink(w1, lr, (long) hidden * block * emb);
                shrink(w2, lr, (long) vocab * hidden);
            }
            JniUtils.addi(c, dC);
            JniUtils.addi(w1, dW1);
            JniUtils.addi(b1, dB1);
            JniUtils.addi(w2, dW2);
            JniUtils.addi(b2, dB2);
        }
    }

    private void shrink(PtNDArray w, float[] lr, long numel) {
        float[] f = new float[k];
        for (int i = 0; i < k; i++) {
            f[i] = (float) (1 - lr[i] * 2.0 * l2[i] / numel);
        }
        JniUtils.muli(w, perSlot(f));
    }

    private PtNDArray perSlot(float[] v) {
        return (PtNDArray) manager.create(v, new Shape(k, 1, 1));
    }

    @Override
    void free() {
        manager.close();
    }
}
