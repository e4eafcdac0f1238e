package makemore.optim;

import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW as torch.optim.AdamW computes it (Loshchilov and Hutter: weight decay decoupled from the gradient):
 * w *= 1 - lr * wd; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; w -= lr / (1 - b1^t) * m / (sqrt(v / (1 - b2^t)) + eps).
 *
 * <p>libtorch's update runs in one native call per parameter (DJL's adamUpdate). That kernel divides by
 * sqrt(v) + eps without the second bias correction, so the correction is folded into its step size and eps:
 * lr * sqrt(1 - b2^t) / (1 - b1^t) and eps * sqrt(1 - b2^t) give torch's formula exactly.
 */
final class AdamW implements Optimizer {
    static final double EPS = 1e-8;

    private final double beta1;
    private final double beta2;
    private final double weightDecay;
    private final List<PtNDArray> mean = new ArrayList<>();
    private final List<PtNDArray> variance = new ArrayList<>();
    private long steps;

    AdamW(List<PtNDArray> params, double beta1, double beta2, double weightDecay) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.weightDecay = weightDecay;
        for (PtNDArray p : params) {
            mean.add(zerosLike(p));
            variance.add(zerosLike(p));
        }
    }

    private static PtNDArray zerosLike(PtNDArray p) {
        PtNDArray z = JniUtils.zerosLike(p, p.getDataType(), p.getDevice(), p.getSparseFormat());
        NDScope.unregister(z); // lives as long as the model, not the step that created it
        return z;
    }

    @Override
    public void step(List<PtNDArray> params, List<PtNDArray> grads, double lr, double rescale) {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, steps));
        float stepSize = (float) (lr * bc2Sqrt / bc1);
        float eps = (float) (EPS * bc2Sqrt);
        for (int i = 0; i < params.size(); i++) {
            JniUtils.adamUpdate(params.get(i), grads.get(i), mean.get(i), variance.get(i), (float) lr, stepSize,
                    (float) weightDecay, (float) rescale, -1f, (float) beta1, (float) beta2, eps, true);
        }
    }

    @Override
    public List<PtNDArray> state() {
        List<PtNDArray> s = new ArrayList<>(mean);
        s.addAll(variance);
        return s;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void setSteps(long steps) {
        this.steps = steps;
    }
}
