package makemore.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import makemore.config.ConfigException;
import makemore.config.FieldSpec;
import makemore.config.Limits;
import makemore.config.RunConfig;
import makemore.model.ModelSpec;

/**
 * How a sweep searches: {@code grid} (every combination of the listed values), {@code random} ({@code trials}
 * draws from ranges, reproducible from {@code seed}) or {@code asha} (the same draws, each stopped at the first rung
 * minSteps x eta^k where it is not in the top 1/eta so far; see {@link Asha}). JSON: {@code "search": {"kind":
 * "asha", "trials": 27, "seed": 1, "eta": 3, "minSteps": 500, "cooldown": 500}}; absent means grid. Errors name the
 * CLI flag. {@code cooldown}: a trial is ranked at a rung (below the top) by its dev after that many steps at the
 * schedule's final learning rate, on a branch that leaves the run as it was (0: by its dev as it stands).
 */
public record Search(String kind, int trials, long seed, int eta, int minSteps, int cooldown) {
    public static final Search GRID = new Search("grid", 0, 0, 0, 0, 0);
    /** The scale a values list gets under random search: one of its values, uniformly. */
    public static final String CHOICE = "choice";

    public boolean drawn() {
        return !kind.equals("grid");
    }

    public boolean asha() {
        return kind.equals("asha");
    }

    /** The rungs' step counts for a run of {@code steps} (ASHA only). */
    public List<Long> rungs(long steps) {
        return Asha.rungs(minSteps, eta, steps);
    }

    static Search parse(JsonNode s, RunConfig base, ModelSpec spec) {
        if (s.isMissingNode() || s.isNull()) {
            return GRID;
        }
        if (!s.isObject()) {
            throw new ConfigException("search", "search must be an object {kind, trials, seed, eta, minSteps}");
        }
        String kind = s.path("kind").asText("");
        Set<String> keys = switch (kind) {
            case "grid" -> Set.of("kind");
            case "random" -> Set.of("kind", "trials", "seed");
            case "asha" -> Set.of("kind", "trials", "seed", "eta", "minSteps", "cooldown");
            default -> throw new ConfigException("search", "--search must be grid, random or asha, got '"
                    + s.path("kind").asText() + "'");
        };
        for (Iterator<String> it = s.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!keys.contains(k)) {
                throw new ConfigException(flag(k), "search " + kind + " takes no '" + k
                        + "' (it takes " + String.join(", ", keys.stream().sorted().toList()) + ")");
            }
        }
        if (kind.equals("grid")) {
            return GRID;
        }
        int trials = integer(s, "trials", "trials", -1);
        int least = kind.equals("asha") ? 2 : 1;
        if (trials < least || trials > Limits.SWEEP_RUNS) {
            throw new ConfigException("trials", "--trials must be an integer in [" + least + ", " + Limits.SWEEP_RUNS
                    + "] (the sweep queue's bound)" + (least == 2 ? "; ASHA compares trials, so it needs two" : "")
                    + ", got " + s.path("trials"));
        }
        long seed = base.seed() == null ? 0 : base.seed();
        if (s.has("seed")) {
            if (!s.get("seed").canConvertToLong() || !s.get("seed").isIntegralNumber() || s.get("seed").asLong() < 0) {
                throw new ConfigException("seed", "search seed must be a non-negative integer, got " + s.get("seed"));
            }
            seed = s.get("seed").asLong();
        }
        if (kind.equals("random")) {
            return new Search(kind, trials, seed, 0, 0, 0);
        }
        if (!spec.trainable()) {
            throw new ConfigException("search", "ASHA stops runs while they train; " + spec.name() + " is fitted at once");
        }
        int eta = integer(s, "eta", "eta", 3);
        if (eta < 2 || eta > 100) {
            throw new ConfigException("eta", "--eta must be an integer in [2, 100] (1/eta of each rung goes on), got "
                    + s.path("eta"));
        }
        int steps = base.steps();
        int every = base.evalEvery() == null ? 1 : base.evalEvery();
        // by default the first rung is the evaluation at or below steps / eta^2, so the defaults always fit together;
        // not shorter: at a few percent of the budget the learning rate that ranks best is too high for the full run
        // (README, ASHA measured)
        int min = integer(s, "minSteps", "min-steps", Math.min(steps, Math.max(every, steps / (eta * eta) / every
                * every)));
        if (min < 1 || min > steps) {
            throw new ConfigException("min-steps", "--min-steps (minSteps) must be in [1, --steps " + steps + "], got "
                    + s.path("minSteps"));
        }
        if (min % every != 0) {
            throw new ConfigException("min-steps", "--min-steps " + min + " is not a multiple of evalEvery " + every
                    + ": ASHA decides at dev evaluations; set --evalEvery to " + min + " or a divisor of it");
        }
        // by default a quarter of the first rung: it then adds at most a quarter to each trial's cost there, and a few
        // hundred steps at the decayed rate already order the trials as the full run does (README, ASHA measured)
        int cooldown = integer(s, "cooldown", "rung-cooldown", min / 4);
        if (cooldown < 0 || cooldown > steps) {
            throw new ConfigException("rung-cooldown", "--rung-cooldown (cooldown) must be in [0, --steps " + steps
                    + "] steps at the final learning rate before a rung's dev (0: none), got " + s.path("cooldown"));
        }
        return new Search(kind, trials, seed, eta, min, cooldown);
    }

    private static String flag(String key) {
        return switch (key) {
            case "minSteps" -> "min-steps";
            case "cooldown" -> "rung-cooldown";
            default -> key;
        };
    }

    private static int integer(JsonNode s, String key, String flag, int dflt) {
        if (!s.has(key)) {
            return dflt;
        }
        if (!s.get(key).isInt()) {
            throw new ConfigException(flag, "--" + flag + " must be an integer, got " + s.get(key));
        }
        return s.get(key).asInt();
    }

    /**
     * A swept field under random search: a range {lo, hi, scale} (no point count: values are drawn) kept as
     * [lo, hi], or a values list drawn from uniformly.
     */
    static SweepDefinition.Param drawnRange(String field, JsonNode r, FieldSpec f) {
        for (Iterator<String> it = r.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!Set.of("lo", "hi", "scale").contains(k)) {
                throw new ConfigException(field, field + ": a random or asha range is lo:hi or lo:hi:log ({lo, hi,"
                        + " scale}); '" + k + "' is for grid" + (k.equals("points") ? " (trials are drawn, not spaced)" : ""));
            }
        }
        double lo = r.path("lo").isNumber() ? r.get("lo").asDouble() : Double.NaN;
        double hi = r.path("hi").isNumber() ? r.get("hi").asDouble() : Double.NaN;
        String scale = r.path("scale").asText("lin");
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            throw new ConfigException(field, field + ": a range needs numbers lo and hi");
        }
        if (!scale.equals("lin") && !scale.equals("log")) {
            throw new ConfigException(field, field + ": range scale must be lin or log, got '" + scale + "'");
        }
        if (!(lo < hi)) {
            throw new ConfigException(field, field + ": a range needs lo < hi, got lo " + lo + ", hi " + hi);
        }
        if (scale.equals("log") && !(lo > 0)) {
            throw new ConfigException(field, field + ": a log range needs lo > 0, got lo " + lo);
        }
        if (f.type().equals("int") && Math.ceil(lo) > Math.floor(hi)) {
            throw new ConfigException(field, field + " is an integer field and [" + lo + ", " + hi + "] holds none");
        }
        return new SweepDefinition.Param(field, List.of(lo, hi), scale);
    }

    /** A part of the sweep must be an object with only these keys: anything else is a 400 naming it. */
    static void only(JsonNode node, String where, Set<String> keys) {
        if (!node.isObject()) {
            throw new ConfigException(where, where + " must be an object with " + keys);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!keys.contains(k)) {
                throw new ConfigException(where, "unknown key '" + k + "' in " + where + "; it takes "
                        + String.join(", ", keys.stream().sorted().toList()));
            }
        }
    }

    void write(ObjectNode o) {
        if (!drawn()) {
            return; // a grid's canonical JSON, and so its hash and pods' sweep id, stay as they were
        }
        ObjectNode s = o.putObject("search").put("kind", kind).put("trials", trials).put("seed", seed);
        if (asha()) {
            s.put("eta", eta).put("minSteps", minSteps).put("cooldown", cooldown);
        }
    }
}
