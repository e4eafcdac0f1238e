package makemore.web;

/** Placeholder until the server lands. */
public final class LabServer {
    public static void main(String[] args) {
        throw new UnsupportedOperationException("the lab server is not built yet");
    }
}
