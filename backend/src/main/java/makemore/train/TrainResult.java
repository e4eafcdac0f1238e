package makemore.train;

import makemore.event.RunEvent;
import makemore.event.RunStatus;
import java.util.List;

/** What a finished (or stopped, diverged, failed) training run reports; tests and the CLI assert on it. */
public record TrainResult(
        RunStatus status,
        String message,
        long steps,
        double train,
        double dev,
        double seconds,
        double stepsPerSec,
        List<RunEvent.Sample> samples,
        double healthSeconds) {}
