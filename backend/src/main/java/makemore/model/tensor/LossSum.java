package makemore.model.tensor;

import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The training loss summed on the device step after step, read back only when the trainer reports: a read-back
 * per step would wait for the step and cost native calls. The sum may be any shape (the MLP keeps one per batch
 * slot and vocabulary entry, so a step adds without reducing); it is reduced when drained.
 */
public final class LossSum {
    private final PtNDArray sum;
    private final long sumHandle;
    private final double sign;
    private long count;

    /** {@code zeros} outside any scope; {@code sign} -1 when what is added are log-likelihoods. */
    public LossSum(PtNDArray zeros, double sign) {
        this.sum = ParamArena.keep(zeros);
        this.sumHandle = Handles.of(sum);
        this.sign = sign;
    }

    /** Adds {@code x} (summed over {@code n} predictions) in place. */
    public void add(PtNDArray x, long n) {
        JniUtils.addi(sum, x);
        count += n;
    }

    /** {@link #add(PtNDArray, long)} for an array held as a bare handle ({@link Handles}). */
    public void add(long x, long n) {
        Handles.addi(sumHandle, x);
        count += n;
    }

    /** The mean loss per prediction since the last drain (NaN if none), and a fresh start. */
    public double drain() {
        if (count == 0) {
            return Double.NaN;
        }
        double total;
        try (NDScope scope = new NDScope()) {
            total = JniUtils.sum(sum).getFloat();
            JniUtils.muli(sum, Tensors.scalar((PtNDManager) sum.getManager(), 0f));
        }
        double mean = sign * total / count;
        count = 0;
        return mean;
    }
}
