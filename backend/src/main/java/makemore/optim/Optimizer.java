package makemore.optim;

import ai.djl.pytorch.engine.PtNDArray;
import java.util.List;

/**
 * Updates parameters in place from their gradients; kept apart from the models so any autograd model can use any
 * optimizer. Called with grad mode off. Its state (moments, step count) goes into checkpoints so that a restored
 * run continues with exactly the numbers it would have produced.
 */
public interface Optimizer {

    /**
     * One update of every parameter from its gradient; {@code rescale} multiplies the gradients first (1 unless
     * gradient-norm clipping shrinks them).
     */
    void step(List<PtNDArray> params, List<PtNDArray> grads, double lr, double rescale);

    /** Arrays to checkpoint, in a fixed order (empty for plain SGD). Restoring overwrites them in place. */
    List<PtNDArray> state();

    /** Updates taken so far (Adam's bias correction depends on it). */
    long steps();

    void setSteps(long steps);

    /** The optimizer named in a run config; {@code params} fixes the shapes of its state. */
    static Optimizer create(OptimizerConfig cfg, List<PtNDArray> params) {
        return switch (cfg.name()) {
            case "sgd" -> new Sgd(cfg.weightDecay());
            case "adamw" -> new AdamW(params, cfg.beta1(), cfg.beta2(), cfg.weightDecay());
            default -> throw new IllegalArgumentException("unknown optimizer " + cfg.name());
        };
    }
}
