package makemore.event;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum RunStatus {
    QUEUED, RUNNING, FINISHED, STOPPED, DIVERGED, FAILED, INTERRUPTED,
    /** Stopped by its sweep's median pruner: its dev was worse than the finished points' median by the margin. */
    PRUNED;

    /** What a queued run says until a trainer takes it. */
    public static final String WAITING = "waiting for a free trainer";

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean terminal() {
        return this != QUEUED && this != RUNNING;
    }

    public static RunStatus parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
