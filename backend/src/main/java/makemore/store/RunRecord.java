package makemore.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import makemore.train.RunConfig;
import makemore.train.RunEvent;
import makemore.train.RunStatus;

/** Everything known about a run: the JSON of GET /api/runs/{id} and of a WebSocket snapshot. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RunRecord(
        String id,
        String created,
        RunConfig config,
        RunStatus status,
        String message,
        long step,
        double stepsPerSec,
        Double bestDev,
        TestScore test,
        List<Point> progress,
        List<RunEvent.Eval> evals,
        RunEvent.Samples samples,
        RunEvent.Embedding embedding,
        List<RunEvent.LrChange> lrChanges) {

    /** One point of the training-loss curve. */
    public record Point(long step, double trainLoss, double lr) {}

    public record TestScore(double loss, String scoredAt) {}

    /** The row of GET /api/runs. */
    public record Summary(String id, String created, String dataset, String model, RunStatus status, String message,
            long step, Double bestDev, Double test) {}
}
