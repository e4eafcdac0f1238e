package makemore.train;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum RunStatus {
    QUEUED, RUNNING, FINISHED, STOPPED, DIVERGED, FAILED, INTERRUPTED;

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
