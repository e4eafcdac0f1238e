package makemore.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/**
 * The one run configuration: REST body, DB column, CLI --config and share-link payload are all this JSON.
 * Which fields a model reads, their defaults and ranges come from its {@link ModelSchema}, which the model registry
 * passes in: {@link #resolve} fills them in and drops the rest, {@link #validate} is the only place ranges are
 * checked.
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
        Double temperature,
        Integer layers,
        Integer heads,
        String optimizer,
        Double weightDecay,
        Double beta1,
        Double beta2,
        Double clip,
        Double dropout,
        Boolean batchnorm,
        String init,
        String method,
        Double discount,
        List<LrPoint> lrChanges,
        Double lrMin,
        Double lrMax) {


    /** A learning-rate change replayed at {@code step}: how a steered run becomes reproducible. */
    public record LrPoint(long step, double lr) {}

    /** Rejects unknown fields, duplicate keys, trailing data and strings where numbers belong. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Parses JSON strictly: every problem is a {@link ConfigException} naming the field. An empty body is refused. */
    public static RunConfig fromJson(String json) {
        if (json == null || json.isBlank()) {
            throw new ConfigException("config", "the config is empty: send a JSON object ({} takes every default)");
        }
        try {
            return fromTree(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new ConfigException("config", "config is not valid JSON: " + plainJson(e));
        }
    }

    /**
     * What is wrong with some JSON, in plain words: Jackson's first phrase, without the class names, feature names
     * and source excerpts it adds for programmers, then the line and column.
     */
    public static String plainJson(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage()).split("\n")[0];
        for (String tail : new String[] {" (", ": enable", " at [Source", "; "}) {
            int cut = m.indexOf(tail);
            if (cut > 0) {
                m = m.substring(0, cut);
            }
        }
        m = m.replaceAll("`[^`]*`", "value").strip();
        return m + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")" : "");
    }

    /** A config from JSON a request already parsed (strictly), read without parsing it again. */
    public static RunConfig fromTree(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new ConfigException("config", "the config must be a JSON object, got "
                    + (tree == null ? "nothing" : tree.getNodeType().toString().toLowerCase()));
        }
        try {
            return JSON.treeToValue(tree, RunConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(e.getPropertyName(), "unknown field '" + e.getPropertyName()
                    + "'; known fields: " + String.join(", ", fieldNames()));
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
            field = field == null ? "config" : field;
            Class<?> type = e instanceof MismatchedInputException m ? m.getTargetType() : null;
            JsonNode given = tree.get(field);
            String shown = given == null ? "" : given.toString();
            throw new ConfigException(field, "'" + field + "' has the wrong type: want " + plainType(type)
                    + (given == null ? "" : ", got " + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown)));
        } catch (InputCoercionException e) {
            String field = e.getProcessor() == null ? null : currentName(e);
            field = field == null ? "config" : field;
            throw new ConfigException(field, "'" + field + "' is out of range for its type");
        } catch (JsonProcessingException e) {
            throw new ConfigException("config", "config is not valid JSON: " + plainJson(e));
        }
    }

    /** A Java type in the words a config's author uses (error texts name no class). */
    private static String plainType(Class<?> type) {
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return type != null && List.class.isAssignableFrom(type) ? "a list" : "another kind of value";
    }

    private static String currentName(InputCoercionException e) {
        try {
            return e.getProcessor().getParsingContext().getCurrentName();
        } catch (RuntimeException ignored) {
            return null;
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a model reads {@code f} given the other values: its showIf condition holds (or it has none). */
    private static boolean read(FieldSpec f, Object[] values) {
        if (f.showIf() == null) {
            return true;
        }
        for (var e : f.showIf().entrySet()) {
            Object other = values[ConfigValues.index(e.getKey())];
            if (other == null || !e.getValue().contains(other.toString())) {
                return false;
            }
        }
        return true;
    }

    /** The model a config without one trains. */
    public static final String DEFAULT_MODEL = "mlp";

    /** Every field name any model may use (the JSON keys and the CLI flags). */
    public static List<String> fieldNames() {
        return ConfigValues.names();
    }

    /**
     * Fills the fields the chosen model reads with its defaults and drops those it does not read, so a stored
     * config says exactly what shaped the run. evalEvery defaults to at least steps / {@link Limits#MAX_EVALS}, and
     * sampleEvery to evalEvery.
     */
    public RunConfig resolve(ModelSchema spec) {
        Object[] given = ConfigValues.of(this);
        Object[] out = new Object[given.length];
        out[ConfigValues.index("dataset")] = dataset == null ? "names" : dataset;
        out[ConfigValues.index("model")] = spec.name();
        for (FieldSpec f : spec.fields()) {
            int i = ConfigValues.index(f.name());
            out[i] = given[i] != null ? given[i] : ConfigValues.coerce(i, f.dflt());
        }
        for (FieldSpec f : spec.fields()) { // a field that matters only with another's value is dropped without it
            if (!read(f, out)) {
                out[ConfigValues.index(f.name())] = null;
            }
        }
        int eval = ConfigValues.index("evalEvery");
        int steps = ConfigValues.index("steps");
        if (spec.field("evalEvery").isPresent() && evalEvery == null && out[steps] instanceof Integer n) {
            out[eval] = Math.max((Integer) out[eval], (n + Limits.MAX_EVALS - 1) / Limits.MAX_EVALS);
        }
        if (spec.field("sampleEvery").isPresent() && sampleEvery == null) {
            out[ConfigValues.index("sampleEvery")] = out[eval];
        }
        if (lrChanges != null && !lrChanges.isEmpty() && spec.trainable()) {
            out[ConfigValues.index("lrChanges")] = lrChanges;
        }
        return ConfigValues.build(out);
    }

    /** Resolves defaults and checks every range; throws a {@link ConfigException} naming the first bad field. */
    public RunConfig validate(ModelSchema spec) {
        RunConfig c = resolve(spec);
        if (c.dataset.isBlank() || c.dataset.length() > 300) {
            throw new ConfigException("dataset", "dataset must be a dataset name or file path of 1..300 characters");
        }
        Object[] values = ConfigValues.of(c);
        for (FieldSpec f : spec.fields()) {
            Object v = values[ConfigValues.index(f.name())];
            if (v == null && !read(f, values)) {
                continue; // not read with these settings (e.g. lrMin without the finder schedule)
            }
            if (v == null) {
                throw new ConfigException(f.name(), f.name() + " is required");
            }
            f.check(v);
        }
        if (spec.field("evalEvery").isPresent()) {
            int floor = (c.steps + Limits.MAX_EVALS - 1) / Limits.MAX_EVALS;
            if (c.evalEvery < floor) {
                throw new ConfigException("evalEvery", "evalEvery must be at least " + floor + " for " + c.steps
                        + " steps: a run is evaluated at most " + Limits.MAX_EVALS + " times, got " + c.evalEvery);
            }
            if (c.sampleEvery != 0 && c.sampleEvery < floor) {
                throw new ConfigException("sampleEvery", "sampleEvery must be 0 or at least " + floor + " for "
                        + c.steps + " steps (at most " + Limits.MAX_EVALS + " live samples a run), got " + c.sampleEvery);
            }
        }
        if (c.lrChanges != null) {
            long prev = -1;
            for (LrPoint p : c.lrChanges) {
                if (p.step() <= prev || p.step() < 0 || p.step() >= c.steps) {
                    throw new ConfigException("lrChanges", "lrChanges must have increasing steps in [0, " + c.steps
                            + "), got step " + p.step());
                }
                if (!Limits.LR.contains(p.lr())) {
                    throw new ConfigException("lrChanges", "lrChanges: lr must be in " + Limits.LR + ", got " + p.lr()
                            + " at step " + p.step());
                }
                prev = p.step();
            }
            if (c.lrChanges.size() > Limits.MAX_LR_CHANGES) {
                throw new ConfigException("lrChanges", "at most " + Limits.MAX_LR_CHANGES + " learning-rate changes a run");
            }
        }
        if ("finder".equals(c.schedule) && !(c.lrMin < c.lrMax)) {
            throw new ConfigException("lrMax", "the LR finder needs lrMin < lrMax, got " + c.lrMin + " and " + c.lrMax);
        }
        spec.checkAcross(c);
        return c;
    }

    /** Optimisation steps, 0 for models fitted in closed form (which have no steps field). */
    public int totalSteps() {
        return steps == null ? 0 : steps;
    }

    /** The learning rate the schedule gives at {@code step} (0-based) of {@code steps}. */
    public double scheduledLr(double baseLr, int step) {
        return switch (schedule == null ? "constant" : schedule) {
            case "step" -> step < decayAt * steps ? baseLr : baseLr * decayFactor;
            case "cosine" -> {
                double floor = baseLr * decayFactor;
                yield floor + 0.5 * (baseLr - floor) * (1 + Math.cos(Math.PI * step / Math.max(1, steps)));
            }
            case "finder" -> finderLr(lrMin, lrMax, step, steps);
            default -> baseLr;
        };
    }

    /** The LR finder's rate at {@code step} (0-based) of {@code steps}: lrMin at the first, lrMax at the last. */
    public static double finderLr(double lrMin, double lrMax, int step, int steps) {
        double t = steps <= 1 ? 0 : (double) step / (steps - 1);
        return lrMin * Math.pow(lrMax / lrMin, t);
    }

    /** One field's value by name (null when unset), the reading side of {@link #with}. */
    public Object value(String field) {
        return ConfigValues.of(this)[ConfigValues.index(field)];
    }

    /** A copy with one field replaced (by name, as in the JSON); the result is not validated. */
    public RunConfig with(String field, Object value) {
        Object[] v = ConfigValues.of(this);
        int i = ConfigValues.index(field);
        v[i] = ConfigValues.coerce(i, value);
        return ConfigValues.build(v);
    }
}
