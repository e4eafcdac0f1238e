package makemore.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import java.util.Locale;

/**
 * The one run configuration: REST body, DB column, CLI --config and share-link payload are all this JSON.
 * Fields left null take the defaults of the chosen model ({@link #resolve()}); {@link #validate()} is the
 * only place ranges are checked.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunConfig(
        String dataset,
        String model,
        Integer context,
        Double smoothing,
        Double l2,
        Double lr,
        String schedule,
        Double decayAt,
        Double decayFactor,
        Integer embDim,
        Integer hidden,
        Integer batch,
        Integer steps,
        Long seed,
        Integer evalEvery,
        Integer sampleEvery,
        Double temperature) {

    public static final List<String> MODELS = List.of("ngram", "neural", "mlp");
    public static final List<String> SCHEDULES = List.of("constant", "step", "cosine");

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    /** Parses JSON strictly: unknown fields and wrongly typed values are {@link ConfigException}s naming the field. */
    public static RunConfig fromJson(String json) {
        if (json == null || json.isBlank()) {
            return defaults();
        }
        try {
            RunConfig c = JSON.readValue(json, RunConfig.class);
            return c == null ? defaults() : c;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(e.getPropertyName(), "unknown field '" + e.getPropertyName()
                    + "'; known fields: " + String.join(", ", fieldNames()));
        } catch (MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "config" : e.getPath().get(e.getPath().size() - 1).getFieldName();
            throw new ConfigException(field == null ? "config" : field,
                    "'" + field + "' has the wrong type (" + e.getOriginalMessage().split("\n")[0] + ")");
        } catch (JsonProcessingException e) {
            throw new ConfigException("config", "config is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RunConfig defaults() {
        return new RunConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null).resolve();
    }

    public static List<String> fieldNames() {
        return java.util.Arrays.stream(RunConfig.class.getRecordComponents()).map(c -> c.getName()).toList();
    }

    /** Fills every null field with the default that suits the chosen model (the lecture's settings). */
    public RunConfig resolve() {
        String m = model == null ? "mlp" : model.toLowerCase(Locale.ROOT);
        boolean ngram = m.equals("ngram");
        boolean neural = m.equals("neural");
        int ctx = or(context, ngram || neural ? 1 : 3);
        int st = or(steps, ngram ? 0 : neural ? 200 : 20000);
        int ev = or(evalEvery, neural ? 20 : 1000);
        return new RunConfig(
                or(dataset, "names"), m, ctx,
                or(smoothing, 1.0),
                or(l2, neural ? 0.01 : 0.0),
                or(lr, neural ? 50.0 : 0.1),
                or(schedule, neural ? "constant" : "step"),
                or(decayAt, 0.5),
                or(decayFactor, 0.1),
                or(embDim, 10),
                or(hidden, 200),
                or(batch, neural ? 0 : 32),
                st,
                or(seed, 42L),
                ev,
                or(sampleEvery, ev),
                or(temperature, 1.0));
    }

    /** Resolves defaults and checks every range; throws a {@link ConfigException} naming the first bad field. */
    public RunConfig validate() {
        RunConfig c = resolve();
        if (c.dataset.isBlank() || c.dataset.length() > 300) {
            throw new ConfigException("dataset", "dataset must be a dataset name or file path of 1..300 characters");
        }
        if (!MODELS.contains(c.model)) {
            throw new ConfigException("model", "model must be one of " + MODELS + ", got '" + model + "'");
        }
        int maxContext = switch (c.model) {
            case "ngram" -> 5;
            case "neural" -> 3; // a table of V^context rows: 27^3 x 27 is already 531k weights
            default -> 16;
        };
        range("context", c.context, 1, maxContext);
        range("smoothing", c.smoothing, 0, 1e6);
        range("l2", c.l2, 0, 100);
        if (!(c.lr > 0) || c.lr > 1000) {
            throw new ConfigException("lr", "lr must be in (0, 1000], got " + c.lr);
        }
        if (!SCHEDULES.contains(c.schedule)) {
            throw new ConfigException("schedule", "schedule must be one of " + SCHEDULES + ", got '" + c.schedule + "'");
        }
        range("decayAt", c.decayAt, 0, 1);
        if (!(c.decayFactor > 0) || c.decayFactor > 1) {
            throw new ConfigException("decayFactor", "decayFactor must be in (0, 1], got " + c.decayFactor);
        }
        range("embDim", c.embDim, 1, 64);
        range("hidden", c.hidden, 1, 4096);
        range("batch", c.batch, 0, 65536);
        range("steps", c.steps, c.model.equals("ngram") ? 0 : 1, 5_000_000);
        range("evalEvery", c.evalEvery, 1, 5_000_000);
        range("sampleEvery", c.sampleEvery, 0, 5_000_000);
        if (!(c.temperature >= 0.05) || c.temperature > 10) {
            throw new ConfigException("temperature", "temperature must be in [0.05, 10], got " + c.temperature);
        }
        if (c.seed < 0) {
            throw new ConfigException("seed", "seed must be >= 0, got " + c.seed);
        }
        return c;
    }

    /** The learning rate the schedule gives at {@code step} (0-based) of {@code steps}. */
    public double scheduledLr(double baseLr, int step) {
        return switch (schedule) {
            case "step" -> step < decayAt * steps ? baseLr : baseLr * decayFactor;
            case "cosine" -> {
                double floor = baseLr * decayFactor;
                yield floor + 0.5 * (baseLr - floor) * (1 + Math.cos(Math.PI * step / Math.max(1, steps)));
            }
            default -> baseLr;
        };
    }

    /** A copy with one field replaced (by name, as in the JSON); the result is not validated. */
    public RunConfig with(String field, Object value) {
        com.fasterxml.jackson.databind.node.ObjectNode node = JSON.valueToTree(this);
        node.set(field, JSON.valueToTree(value));
        return fromJson(node.toString());
    }

    private static void range(String field, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw new ConfigException(field, field + " must be in [" + fmt(lo) + ", " + fmt(hi) + "], got " + fmt(v));
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static <T> T or(T v, T dflt) {
        return v == null ? dflt : v;
    }
}
