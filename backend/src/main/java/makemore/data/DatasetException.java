package makemore.data;

/** A dataset that cannot be used, with a message meant for the person who supplied it. */
public final class DatasetException extends RuntimeException {
    public enum Kind { NOT_FOUND, TOO_LARGE, INVALID }

    private final Kind kind;

    public DatasetException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
