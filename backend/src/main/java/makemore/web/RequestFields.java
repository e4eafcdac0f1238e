package makemore.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.Set;
import makemore.config.ConfigException;

/** Typed reads of request fields and query parameters: a wrong type is a 400 naming it, never a silent default. */
final class RequestFields {
    private RequestFields() {}

    static void only(JsonNode body, Set<String> known) {
        for (Iterator<String> it = body.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new ConfigException(f, "unknown field '" + LabServer.clip(f) + "'; known fields: "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    static int intField(JsonNode body, String field, int dflt) {
        JsonNode v = body.get(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ConfigException(field, field + " must be a whole number, got " + shown(v));
        }
        return v.intValue();
    }

    static long longField(JsonNode body, String field, long dflt) {
        JsonNode v = body.get(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ConfigException(field, field + " must be a whole number, got " + shown(v));
        }
        return v.longValue();
    }

    static double doubleField(JsonNode body, String field, double dflt) {
        JsonNode v = body.get(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new ConfigException(field, field + " must be a finite number, got " + shown(v));
        }
        return v.doubleValue();
    }

    static String stringField(JsonNode body, String field, int maxLength) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw new ConfigException(field, field + " must be a string, got " + (v == null ? "nothing" : shown(v)));
        }
        if (v.textValue().length() > maxLength) {
            throw new ConfigException(field, field + " may be at most " + maxLength + " characters long");
        }
        return v.textValue();
    }

    private static String shown(JsonNode v) {
        String s = v.isTextual() ? "the string \"" + v.textValue() + "\"" : Bodies.kind(v) + " " + v;
        return LabServer.clip(s);
    }

    /** An optional whole-number query parameter: "1.9", "1e3", " 2" and NaN are refused. */
    static int intParam(Context ctx, String name, int dflt) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        if (!v.matches("-?\\d{1,9}")) {
            throw new ConfigException(name, name + " must be a whole number, got '" + LabServer.clip(v) + "'");
        }
        return Integer.parseInt(v);
    }

    /** An optional finite number: NaN and Infinity are refused by name. */
    static double doubleParam(Context ctx, String name, double dflt) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        double d;
        try {
            if (!v.matches("[-+]?[0-9.]+([eE][-+]?\\d+)?")) {
                throw new NumberFormatException();
            }
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(name, name + " must be a number, got '" + LabServer.clip(v) + "'");
        }
        if (!Double.isFinite(d)) {
            throw new ConfigException(name, name + " must be a finite number, got '" + LabServer.clip(v) + "'");
        }
        return d;
    }
}
