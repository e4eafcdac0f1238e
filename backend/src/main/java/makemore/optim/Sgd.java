package makemore.optim;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;

/** Plain SGD, w -= lr * (grad * rescale + weightDecay * w): the lab's MLP update, stateless. */
final class Sgd implements Optimizer {
    private final double weightDecay;
    private long steps;

    Sgd(double weightDecay) {
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(List<PtNDArray> params, List<PtNDArray> grads, double lr, double rescale) {
        for (int i = 0; i < params.size(); i++) {
            // clip < 0 switches off libtorch-side element clipping; momentum 0 needs no state array
            JniUtils.sgdUpdate(params.get(i), grads.get(i), null, (float) lr, (float) weightDecay, (float) rescale,
                    -1f, 0f);
        }
        steps++;
    }

    @Override
    public List<PtNDArray> state() {
        return List.of();
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
