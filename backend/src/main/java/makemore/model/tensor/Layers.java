package makemore.model.tensor;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** The lectures' layers as functions over libtorch arrays, for autograd models (parameters live in the model). */
public final class Layers {
    /** torch.nn.BatchNorm1d's defaults (lecture 5 keeps them). */
    public static final double MOMENTUM = 0.1;
    public static final double EPS = 1e-5;

    private Layers() {}

    /**
     * One BatchNorm1d: its scale and shift, and the running statistics used in evaluation, which move
     * {@code momentum} of the way toward each training batch's. The statistics are taken over every dimension but
     * the last (lecture 5: over batch and position for a [B, T, C] input).
     */
    public record BatchNorm(PtNDArray gamma, PtNDArray beta, PtNDArray runningMean, PtNDArray runningVar, double momentum) {

        /**
         * Training: batch statistics, and the running ones move toward them (unless {@code keepStats}, for a
         * measuring pass). Evaluation: the running statistics, so an item's probabilities do not depend on what
         * else is in the batch.
         */
        public PtNDArray apply(PtNDArray x, boolean training, boolean keepStats) {
            long[] shape = x.getShape().getShape();
            // statistics over every dimension but the channels = over the rows of a [rows, channels] view
            PtNDArray in = shape.length == 2 ? x : Tensors.reshape(x, -1, shape[shape.length - 1]);
            PtNDArray mean = training && keepStats ? JniUtils.clone(runningMean) : runningMean;
            PtNDArray var = training && keepStats ? JniUtils.clone(runningVar) : runningVar;
            PtNDArray out = JniUtils.batchNorm(in, mean, var, gamma, beta, training, momentum, EPS);
            return shape.length == 2 ? out : Tensors.reshape(out, shape);
        }
    }

    /** [B, T, C] to [B, T / n, C n]: n consecutive positions side by side (lecture 5); [B, C n] when T = n. */
    public static PtNDArray flattenConsecutive(PtNDArray x, int n) {
        long[] s = x.getShape().getShape();
        if (s[1] == n) {
            return Tensors.reshape(x, s[0], s[2] * n);
        }
        return Tensors.reshape(x, s[0], s[1] / n, s[2] * n);
    }
}
