package makemore.model.autograd;

import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import makemore.data.Contexts;
import makemore.model.tensor.Tensors;

/**
 * How strongly each input token drives one prediction of an {@link AutogradModel}: one forward pass in evaluation
 * mode with the token embeddings made a leaf ({@link Batch#embedded}), backward from log p(target), and the L2
 * norm of the gradient at each token's embedding. Runs on the calling thread with grad mode on only for that
 * pass; the parameters' gradients it leaves behind are zeroed, so nothing a later step sees changes.
 */
final class AutogradInfluence {
    private AutogradInfluence() {}

    static double[] norms(AutogradModel m, int[] prefix, int target) {
        Tensors.noAutograd();
        boolean sequence = m.layout == AutogradModel.Layout.SEQUENCE;
        try (NDScope scope = new NDScope()) {
            Batch in = (sequence ? Batch.sequences(m.manager, List.<int[]>of(prefix), m.gridAlign())
                    : Batch.contexts(m.manager, Contexts.after(new int[][] {prefix}, m.block), new int[] {0}))
                    .attributing();
            // the prediction after the whole prefix: a sequence's last real position, a context batch's one row
            int row = sequence ? prefix.length : 0;
            JniUtils.setGradMode(true);
            try {
                PtNDArray logp = JniUtils.logSoftmax(in.packed(m.forward(in)), 1, DataType.FLOAT32);
                long[] shape = logp.getShape().getShape();
                float[] pick = new float[Math.toIntExact(shape[0] * shape[1])];
                pick[Math.toIntExact(row * shape[1] + target)] = 1;
                PtNDArray objective = JniUtils.sum(JniUtils.mul(logp, (PtNDArray) m.manager.create(pick,
                        new Shape(shape))));
                JniUtils.backward(objective, (PtNDArray) m.manager.ones(new Shape()), false, false);
            } finally {
                JniUtils.setGradMode(false);
                for (PtNDArray p : m.parameters()) {
                    if (JniUtils.getGradient(p) != null) {
                        JniUtils.zeroGrad(p);
                    }
                }
            }
            PtNDArray leaf = in.inputs();
            long d = leaf.getShape().get(leaf.getShape().dimension() - 1);
            PtNDArray g = JniUtils.getGradient(leaf);
            float[] grad = g == null ? new float[Math.toIntExact(leaf.size())] : g.toFloatArray();
            // sequences: rows 0..prefix.length are the tokens themselves; contexts: one row per context slot
            int rows = sequence ? prefix.length + 1 : m.block;
            double[] norms = new double[rows];
            for (int r = 0; r < rows; r++) {
                double sq = 0;
                for (long k = 0; k < d; k++) {
                    double v = grad[Math.toIntExact(r * d + k)];
                    sq += v * v;
                }
                norms[r] = Math.sqrt(sq);
            }
            return sequence ? norms : Contexts.byToken(norms, prefix.length);
        }
    }
}
