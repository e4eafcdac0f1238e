package makemore.optim;

import java.util.List;
import makemore.config.FieldSpec;
import makemore.config.RunConfig;

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

    public static OptimizerConfig of(RunConfig cfg) {
        // betas are read by AdamW only: an SGD config does not carry them
        return new OptimizerConfig(cfg.optimizer(), cfg.weightDecay(), cfg.beta1() == null ? 0.9 : cfg.beta1(),
                cfg.beta2() == null ? 0.99 : cfg.beta2(), cfg.clip());
    }

    /** The config fields of an autograd model's optimizer, with these defaults. */
    public static List<FieldSpec> fields(String optimizer, double weightDecay) {
        return List.of(
                FieldSpec.choice("optimizer", "optimizer", optimizer, NAMES,
                        "sgd: w -= lr (g + wd w); adamw: Adam with decoupled weight decay (torch.optim.AdamW)"),
                FieldSpec.real("weightDecay", "weight decay", weightDecay, 0, 10, "log0",
                        "adamw: w *= 1 - lr wd each step; sgd: wd w added to the gradient (0 = none)")
                        .slider(1e-5, 1),
                FieldSpec.real("beta1", "beta1", 0.9, 0, 0.9999, "lin", "AdamW's first-moment decay").openMin()
                        .when("optimizer", "adamw"),
                FieldSpec.real("beta2", "beta2", 0.99, 0, 0.9999, "lin", "AdamW's second-moment decay").openMin()
                        .when("optimizer", "adamw"),
                FieldSpec.real("clip", "gradient clip", 0, 0, 1e6, "log0",
                        "largest total gradient norm; larger gradients are scaled down to it (0 = off)")
                        .slider(1e-2, 100));
    }
}
