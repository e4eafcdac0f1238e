package makemore.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link RunConfig}'s fields by name, read and rebuilt in place: resolving defaults and replacing one field need
 * no trip through JSON. A value of the wrong type is a {@link ConfigException} on its field, as Jackson's strict
 * reading would have it (no float where an int belongs, no string for a number).
 */
final class ConfigValues {
    private ConfigValues() {}

    private static final RecordComponent[] FIELDS = RunConfig.class.getRecordComponents();
    private static final List<String> NAMES = Arrays.stream(FIELDS).map(RecordComponent::getName).toList();
    private static final Constructor<RunConfig> CANONICAL;

    static {
        try {
            CANONICAL = RunConfig.class.getDeclaredConstructor(
                    Arrays.stream(FIELDS).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static List<String> names() {
        return NAMES;
    }

    /** The position of {@code field}; an unknown name is a ConfigException listing the known ones. */
    static int index(String field) {
        int i = NAMES.indexOf(field);
        if (i < 0) {
            throw new ConfigException(field, "unknown field '" + field + "'; known fields: " + String.join(", ", NAMES));
        }
        return i;
    }

    static Object[] of(RunConfig c) {
        Object[] v = new Object[FIELDS.length];
        for (int i = 0; i < v.length; i++) {
            try {
                v[i] = FIELDS[i].getAccessor().invoke(c);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(e);
            }
        }
        return v;
    }

    static RunConfig build(Object[] values) {
        try {
            return CANONICAL.newInstance(values);
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} as field {@code i}'s type. */
    static Object coerce(int i, Object value) {
        if (value == null) {
            return null;
        }
        Class<?> type = FIELDS[i].getType();
        String field = NAMES.get(i);
        if (type == Integer.class || type == Long.class) {
            if (!(value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte)) {
                throw wrongType(field, "a whole number", value);
            }
            long l = ((Number) value).longValue();
            if (type == Integer.class && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)) {
                throw new ConfigException(field, "'" + field + "' is out of range for its type");
            }
            return type == Integer.class ? (Object) (int) l : (Object) l;
        }
        if (type == Double.class) {
            if (!(value instanceof Number)) {
                throw wrongType(field, "a number", value);
            }
            return ((Number) value).doubleValue();
        }
        if (!type.isInstance(value)) {
            throw wrongType(field, type == Boolean.class ? "true or false" : type == String.class ? "a string"
                    : "a list", value);
        }
        return value;
    }

    private static ConfigException wrongType(String field, String want, Object got) {
        return new ConfigException(field, "'" + field + "' has the wrong type (want " + want + ", got "
                + (got instanceof String ? "'" + got + "'" : got) + ")");
    }
}
