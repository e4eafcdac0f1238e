package makemore.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One config field as a model declares it: its type, default, accepted range and how a control should show it.
 * {@link RunConfig#validate()} checks values against these, the CLI takes them as flags, and {@code GET /api/models}
 * hands them to the page, so nothing mirrors a model's fields by hand.
 *
 * @param type     "int", "float", "choice" or "bool"
 * @param min      lowest accepted value (int/float), exclusive when {@code minOpen}
 * @param scale    how a slider maps: "lin", "log", or "log0" (0 at the far left, then log)
 * @param sliderMin slider range where it is narrower than the accepted one (null: min/max)
 * @param showIf   the field matters only when another field has one of these values (null: always)
 * @param live     may change while the run trains
 * @param auto     set where 0 means "derive it from the data" and the only other accepted value is that derived
 *                 one: says what 0 picks, so a form offers those two instead of a slider over the whole range
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldSpec(String name, String label, String type,
        @com.fasterxml.jackson.annotation.JsonProperty("default") Object dflt, Double min, boolean minOpen, Double max,
        String scale, Double sliderMin, Double sliderMax, List<String> choices, Map<String, List<String>> showIf,
        boolean live, String help, String auto) {

    public static FieldSpec integer(String name, String label, long dflt, long min, long max, String scale, String help) {
        return new FieldSpec(name, label, "int", dflt, (double) min, false, (double) max, scale, null, null, null, null,
                false, help, null);
    }

    public static FieldSpec real(String name, String label, double dflt, double min, double max, String scale,
            String help) {
        return new FieldSpec(name, label, "float", dflt, min, false, max, scale, null, null, null, null, false, help,
                null);
    }

    public static FieldSpec choice(String name, String label, String dflt, List<String> choices, String help) {
        return new FieldSpec(name, label, "choice", dflt, null, false, null, null, null, null, choices, null, false, help,
                null);
    }

    public static FieldSpec bool(String name, String label, boolean dflt, String help) {
        return new FieldSpec(name, label, "bool", dflt, null, false, null, null, null, null, null, null, false, help,
                null);
    }

    /** The same field with another default (models share fields but not always their defaults). */
    public FieldSpec withDefault(Object d) {
        return new FieldSpec(name, label, type, d, min, minOpen, max, scale, sliderMin, sliderMax, choices, showIf, live,
                help, auto);
    }

    public FieldSpec withRange(double lo, double hi) {
        return new FieldSpec(name, label, type, dflt, lo, minOpen, hi, scale, sliderMin, sliderMax, choices, showIf, live,
                help, auto);
    }

    /** Lower bound excluded: (min, max]. */
    public FieldSpec openMin() {
        return new FieldSpec(name, label, type, dflt, min, true, max, scale, sliderMin, sliderMax, choices, showIf, live,
                help, auto);
    }

    public FieldSpec slider(double lo, double hi) {
        return new FieldSpec(name, label, type, dflt, min, minOpen, max, scale, lo, hi, choices, showIf, live, help, auto);
    }

    public FieldSpec when(String field, String... values) {
        return new FieldSpec(name, label, type, dflt, min, minOpen, max, scale, sliderMin, sliderMax, choices,
                Map.of(field, List.of(values)), live, help, auto);
    }

    public FieldSpec liveChange() {
        return new FieldSpec(name, label, type, dflt, min, minOpen, max, scale, sliderMin, sliderMax, choices, showIf,
                true, help, auto);
    }

    /** 0 derives the value from the data ({@code what}, e.g. "longest item + 1"); any other must equal it. */
    public FieldSpec autoOnly(String what) {
        return new FieldSpec(name, label, type, dflt, min, minOpen, max, scale, sliderMin, sliderMax, choices, showIf, live,
                help, what);
    }

    /** Checks one value; throws a {@link ConfigException} naming this field and its range. */
    void check(Object v) {
        switch (type) {
            case "int", "float" -> {
                double x = ((Number) v).doubleValue();
                new Limits.Range(min, max, minOpen).check(name, x);
            }
            case "choice" -> {
                if (!choices.contains(v.toString())) {
                    throw new ConfigException(name, name + " must be one of " + choices + ", got '" + v + "'");
                }
            }
            default -> {
                // bool: Jackson already refused anything but true/false
            }
        }
    }

    /** A number as a person writes it: 1000, not 1000.0. */
    public static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (Double.isFinite(v) && Math.abs(v) >= 1e-6 && Math.abs(v) < 1e15) { // 0.0005, not 5.0E-4
            return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
        return Double.toString(v);
    }
}
