package makemore.lab;

/** A request the lab cannot serve, with the HTTP status that says why (404 unknown, 409 wrong state). */
public final class LabException extends RuntimeException {
    private final int status;

    public LabException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static LabException notFound(String what) {
        return new LabException(404, what);
    }

    public static LabException conflict(String why) {
        return new LabException(409, why);
    }

    public int status() {
        return status;
    }
}
