package makemore.config;

import java.util.ArrayList;
import java.util.List;

/** Fields several models share, with the lecture's defaults; a model's spec picks these and adds its own. */
public final class Fields {
    private Fields() {}

    /** The largest JSON integer a browser reads exactly. */
    public static final long MAX_SEED = (1L << 53) - 1;
    public static final List<String> SCHEDULES = List.of("constant", "step", "cosine", "finder");

    public static FieldSpec context(int dflt, int max, String help) {
        return FieldSpec.integer("context", "context", dflt, 1, max, "lin", help);
    }

    public static FieldSpec smoothing() {
        return FieldSpec.real("smoothing", "smoothing k", 1.0, 0, 1e6, "log0",
                "add-k smoothing of the counts (0 = none)").slider(1e-3, 1e4);
    }

    public static FieldSpec l2(double dflt) {
        return FieldSpec.real("l2", "L2", dflt, 0, 100, "log0", "weight decay added to the loss (0 = none)")
                .slider(1e-5, 100);
    }

    public static FieldSpec embDim(int dflt) {
        return FieldSpec.integer("embDim", "embedding dims", dflt, 1, 512, "lin", "size of each character vector")
                .slider(1, 64);
    }

    public static FieldSpec hidden(int dflt, String help) {
        return FieldSpec.integer("hidden", "hidden units", dflt, 1, 4096, "log", help);
    }

    /** A model's field list: its own groups in order, then seed and temperature. */
    @SafeVarargs
    public static List<FieldSpec> with(List<FieldSpec>... groups) {
        List<FieldSpec> all = new ArrayList<>();
        for (List<FieldSpec> g : groups) {
            all.addAll(g);
        }
        all.addAll(common());
        return List.copyOf(all);
    }

    /** Seed and temperature: every model has them. */
    public static List<FieldSpec> common() {
        return List.of(
                FieldSpec.integer("seed", "seed", 42, 0, MAX_SEED, "lin",
                        "initialisation and batch order; same config + seed = same curves").slider(0, 9999),
                FieldSpec.real("temperature", "temperature", 1.0, Limits.TEMPERATURE.min(), Limits.TEMPERATURE.max(), "log",
                        "sampling temperature (<1 safer, >1 wilder)"));
    }

    /** The optimisation fields of a trained model: learning rate and its schedule, batch, steps, evaluations. */
    public static List<FieldSpec> training(double lr, String schedule, int batch, int steps, int evalEvery) {
        List<FieldSpec> f = new ArrayList<>();
        f.add(FieldSpec.real("lr", "learning rate", lr, Limits.LR.min(), Limits.LR.max(), "log",
                "step size; while a run trains, moving this changes its learning rate live")
                .openMin().slider(1e-4, Limits.LR.max()).liveChange());
        f.add(FieldSpec.choice("schedule", "lr schedule", schedule, SCHEDULES,
                "constant, step decay (x factor at a fraction of the steps), cosine, or finder (the LR finder: lr grows"
                        + " exponentially from lrMin to lrMax over the steps)"));
        f.add(FieldSpec.real("lrMin", "finder: lr from", 1e-4, Limits.LR.min(), Limits.LR.max(), "log", "the LR finder's first learning rate")
                .openMin().slider(1e-6, 1).when("schedule", "finder"));
        f.add(FieldSpec.real("lrMax", "finder: lr to", 10, Limits.LR.min(), Limits.LR.max(), "log", "the LR finder's last learning rate")
                .openMin().slider(1e-2, Limits.LR.max()).when("schedule", "finder"));
        f.add(FieldSpec.real("decayAt", "decay at", 0.5, 0, 1, "lin", "fraction of the steps where step decay kicks in")
                .when("schedule", "step"));
        f.add(FieldSpec.real("decayFactor", "decay factor", 0.1, 0, 1, "log",
                "lr multiplier after decay (cosine: final fraction)").openMin().slider(1e-3, 1)
                .when("schedule", "step", "cosine"));
        f.add(FieldSpec.integer("batch", "batch", batch, 0, 65536, "log0",
                "examples per step (0 = the whole training set)").slider(1, 65536));
        f.add(FieldSpec.integer("steps", "steps", steps, 1, 5_000_000, "log", "optimisation steps").slider(1, 1e6));
        f.add(FieldSpec.integer("evalEvery", "eval every", evalEvery, 1, 5_000_000, "log",
                "steps between dev/train evaluations (and embedding); at most "
                        + Limits.MAX_EVALS + " evaluations a run").slider(1, 1e5));
        f.add(FieldSpec.integer("sampleEvery", "sample every", evalEvery, 0, 5_000_000, "log0",
                "steps between live samples (0 = only at the end)").slider(1, 1e5));
        return f;
    }
}
