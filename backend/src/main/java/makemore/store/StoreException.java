package makemore.store;

/** The run database could not be read or written (full, read-only, gone); the message says why, without a trace. */
public final class StoreException extends IllegalStateException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
