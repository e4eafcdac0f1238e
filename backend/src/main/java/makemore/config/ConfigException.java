package makemore.config;

/** A config value that cannot be used; {@code field} names the offending field for forms and CLIs. */
public final class ConfigException extends IllegalArgumentException {
    private final String field;

    public ConfigException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
