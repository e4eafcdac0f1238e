package makemore.optim;

import java.util.List;

/**
 * The optimizer part of a run config. {@code clip} is the largest total gradient L2 norm (0 = no clipping), as
 * torch.nn.utils.clip_grad_norm_ does it.
 */
public record OptimizerConfig(String name, double weightDecay, double beta1, double beta2, double clip) {
    public static final List<String> NAMES = List.of("sgd", "adamw");

    /** makemore.py's settings: AdamW, betas (0.9, 0.99), weight decay 0.01, no clipping. */
    public static OptimizerConfig makemore() {
        return new OptimizerConfig("adamw", 0.01, 0.9, 0.99, 0);
    }

    public static OptimizerConfig sgd() {
        return new OptimizerConfig("sgd", 0, 0.9, 0.99, 0);
    }
}
