package makemore.model;

import makemore.model.tensor.Tensors;
import makemore.event.Health;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import makemore.data.Contexts;

/**
 * {@link Health} for the hand-written {@link Mlp}: its forward and backward once more on one batch, written out as
 * in {@link Mlp#step} (checked against autograd in GradientCrossCheckTest), but keeping every intermediate. The
 * update is plain SGD's, lr x gradient (L2 term included), as the MLP applies it.
 */
final class MlpHealth {
    /** Rows of the batch measured: the run's batch, at most this many. */
    static final int MAX_ROWS = 1024;

    private MlpHealth() {}

    static Health measure(Mlp m, PtNDManager manager, Contexts train, int batch, Random rng, double lr) {
        int block = train.block();
        int rows = Math.min(Math.min(batch, MAX_ROWS), train.size());
        int[] x = new int[rows * block];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            int r = rng.nextInt(train.size());
            System.arraycopy(train.x(), r * block, x, i * block, block);
            y[i] = train.y()[r];
        }
        Tensors.noAutograd();
        int v = (int) m.c.getShape().get(0);
        int emb = (int) m.c.getShape().get(1);
        try (NDScope scope = new NDScope()) {
            PtNDArray e = Tensors.reshape(Tensors.rows(m.c, Tensors.ids(manager, x, rows, block)), rows, (long) block * emb);
            PtNDArray h = JniUtils.tanh(Tensors.linear(e, m.w1, m.b1));
            PtNDArray dLogits = JniUtils.softmax(Tensors.linear(h, m.w2, m.b2), 1, DataType.FLOAT32);
            JniUtils.subi(dLogits, oneHot(manager, y, v));
            JniUtils.muli(dLogits, Tensors.scalar(manager, 1f / rows)); // the loss is the batch's mean NLL
            PtNDArray dW2 = Tensors.matmulT(dLogits, h);
            PtNDArray dH = Tensors.matmul(dLogits, m.w2);
            PtNDArray dPre = JniUtils.sub(dH, JniUtils.mul(JniUtils.mul(dH, h), h)); // dH * (1 - h^2)
            PtNDArray dW1 = Tensors.matmulT(dPre, e);
            PtNDArray dE = Tensors.matmul(dPre, m.w1);
            PtNDArray dC = Tensors.matmulT(oneHot(manager, x, v), Tensors.reshape(dE, (long) rows * block, emb));
            float[] eV = e.toFloatArray();
            float[] dEV = dE.toFloatArray();
            float[] hV = h.toFloatArray();
            float[] dHV = dH.toFloatArray();
            List<Health.Weight> weights = new ArrayList<>();
            weights.add(weight("C (embedding)", m.c, dC, m.l2, lr));
            weights.add(weight("W1 (hidden)", m.w1, dW1, m.l2, lr));
            weights.add(weight("W2 (output)", m.w2, dW2, m.l2, lr));
            return new Health(
                    List.of(Health.layer("embedding", "embedding", eV, dEV, block * emb),
                            Health.layer("hidden", "tanh", hV, dHV, (int) m.w1.getShape().get(0))),
                    weights,
                    List.of(Health.histogram("embedding", "activation", eV, false),
                            Health.histogram("embedding", "gradient", dEV, false),
                            Health.histogram("hidden", "activation", hV, true),
                            Health.histogram("hidden", "gradient", dHV, false)));
        }
    }

    /** The gradient with the L2 term the MLP adds (l2 x mean(W^2) per matrix), and SGD's update lr x gradient. */
    private static Health.Weight weight(String name, PtNDArray w, PtNDArray grad, double l2, double lr) {
        float[] data = w.toFloatArray();
        float[] g = grad.toFloatArray();
        float[] update = new float[g.length];
        float decay = (float) (2 * l2 / data.length);
        for (int i = 0; i < g.length; i++) {
            g[i] += decay * data[i];
            update[i] = (float) (lr * g[i]);
        }
        return Health.weight(name, w.getShape().getShape(), data, g, update);
    }

    private static PtNDArray oneHot(PtNDManager manager, int[] ids, int v) {
        float[] oh = new float[ids.length * v];
        for (int i = 0; i < ids.length; i++) {
            oh[i * v + ids[i]] = 1;
        }
        return (PtNDArray) manager.create(oh, new Shape(ids.length, v));
    }
}
