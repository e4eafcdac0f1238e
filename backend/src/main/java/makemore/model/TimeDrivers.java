package makemore.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import makemore.config.ConfigException;
import makemore.config.FieldSpec;
import makemore.config.RunConfig;
import makemore.data.Corpus;

/**
 * Which fields make a run long: each whole-number size field of the model is halved (evalEvery doubled) in the
 * estimate, and the ones whose change would save at least a quarter of the time are named, largest saving first,
 * so a refusal says what to change rather than only that it is too much. Steps always scale the time, so they come
 * last as the fallback rather than crowding out the sizes.
 */
final class TimeDrivers {
    private TimeDrivers() {}

    /** Fields that are not sizes: changing them changes what is learnt or reported, not how long a step takes. */
    private static final List<String> NOT_SIZES = List.of("seed", "sampleEvery", "steps");
    private static final double SAVING = 0.25;

    /** The driving fields, largest saving first, then steps when the model has them; never empty. */
    static List<String> of(ModelSpec spec, RunConfig cfg, Corpus corpus, double seconds) {
        List<Map.Entry<String, Double>> savings = new ArrayList<>();
        for (FieldSpec f : spec.fields()) {
            if (!"int".equals(f.type()) || NOT_SIZES.contains(f.name()) || !(cfg.value(f.name()) instanceof Number n)) {
                continue;
            }
            long v = n.longValue();
            long changed = f.name().equals("evalEvery") ? Math.min(v * 2, Integer.MAX_VALUE) : v / 2;
            if (changed < 1) { // 1 halves to nothing, and a batch of 0 means the whole split
                continue;
            }
            try {
                double t = Models.estimate(cfg.with(f.name(), (int) changed), corpus).seconds();
                double saving = 1 - t / seconds;
                if (saving >= SAVING) {
                    savings.add(Map.entry(f.name(), saving));
                }
            } catch (ConfigException | ArithmeticException e) {
                // a value this model's shape refuses (e.g. a sequence model's block): not a way out, so not named
            }
        }
        List<String> out = new ArrayList<>(savings.stream()
                .sorted(Comparator.comparing(Map.Entry<String, Double>::getValue).reversed())
                .map(Map.Entry::getKey).toList());
        if (spec.fields().stream().anyMatch(f -> f.name().equals("steps")) || out.isEmpty()) {
            out.add("steps");
        }
        return out;
    }

    /** "lower hidden, context or steps", with "raise evalEvery or " before it when evaluations drive the time. */
    static String advice(List<String> drivers) {
        List<String> lower = drivers.stream().filter(d -> !d.equals("evalEvery")).toList();
        String list = lower.size() == 1 ? lower.get(0)
                : String.join(", ", lower.subList(0, lower.size() - 1)) + " or " + lower.get(lower.size() - 1);
        return (drivers.contains("evalEvery") ? "raise evalEvery or " : "") + "lower " + list;
    }
}
