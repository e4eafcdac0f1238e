package makemore.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import makemore.config.RunConfig;
import makemore.event.RunEvent;
import makemore.event.RunStatus;

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
        List<RunEvent.LrChange> lrChanges,
        String name,
        String note,
        HealthHistory health,
        List<RunEvent.DevNames> devNames) {

    /**
     * The config carries every learning-rate change the run recorded (planned or steered live), so the record's
     * config, posted as a new run, replays the same run.
     */
    public RunRecord {
        if (config != null && lrChanges != null && !lrChanges.isEmpty()) {
            config = config.with("lrChanges", lrChanges.stream()
                    .map(c -> new RunConfig.LrPoint(c.step(), c.lr())).toList());
        }
    }

    /** A record without the hardest and easiest dev items (runs stored before they were ranked read back empty). */
    public RunRecord(String id, String created, RunConfig config, RunStatus status, String message, long step,
            double stepsPerSec, Double bestDev, TestScore test, List<Point> progress, List<RunEvent.Eval> evals,
            RunEvent.Samples samples, RunEvent.Embedding embedding, List<RunEvent.LrChange> lrChanges, String name,
            String note, HealthHistory health) {
        this(id, created, config, status, message, step, stepsPerSec, bestDev, test, progress, evals, samples,
                embedding, lrChanges, name, note, health, null);
    }

    /** A record without layer health (models without layers, or built where health is not read). */
    public RunRecord(String id, String created, RunConfig config, RunStatus status, String message, long step,
            double stepsPerSec, Double bestDev, TestScore test, List<Point> progress, List<RunEvent.Eval> evals,
            RunEvent.Samples samples, RunEvent.Embedding embedding, List<RunEvent.LrChange> lrChanges, String name,
            String note) {
        this(id, created, config, status, message, step, stepsPerSec, bestDev, test, progress, evals, samples,
                embedding, lrChanges, name, note, null);
    }

    /**
     * Layer health over the run: every evaluation's statistics without histograms, and the latest in full.
     * Null for a run without any.
     */
    public record HealthHistory(List<RunEvent.Health> series, RunEvent.Health latest) {}

    /** A record without a name or note (they live in the store and are added by {@link #withLabels}). */
    public RunRecord(String id, String created, RunConfig config, RunStatus status, String message, long step,
            double stepsPerSec, Double bestDev, TestScore test, List<Point> progress, List<RunEvent.Eval> evals,
            RunEvent.Samples samples, RunEvent.Embedding embedding, List<RunEvent.LrChange> lrChanges) {
        this(id, created, config, status, message, step, stepsPerSec, bestDev, test, progress, evals, samples, embedding,
                lrChanges, null, null);
    }

    /** The same record with the run's name and note (which live in the store, also while it trains). */
    public RunRecord withLabels(Labels l) {
        return new RunRecord(id, created, config, status, message, step, stepsPerSec, bestDev, test, progress, evals,
                samples, embedding, lrChanges, l.name(), l.note(), health, devNames);
    }

    /** What a person calls a run (null: its id) and a free note. */
    public record Labels(String name, String note) {}

    /** One point of the training-loss curve: the NLL, and the regularisation penalty where the model has one. */
    public record Point(long step, double trainLoss, double lr,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double penalty) {
        public Point(long step, double trainLoss, double lr) {
            this(step, trainLoss, lr, null);
        }

        public static Point of(RunEvent.Progress p) {
            return new Point(p.step(), p.trainLoss(), p.lr(), Double.isFinite(p.penalty()) ? p.penalty() : null);
        }
    }

    public record TestScore(double loss, String scoredAt) {}

    /** The row of GET /api/runs. */
    public record Summary(String id, String created, String dataset, String model, RunStatus status, String message,
            long step, Double bestDev, Double test, String name, String note) {
        public Summary(String id, String created, String dataset, String model, RunStatus status, String message,
                long step, Double bestDev, Double test) {
            this(id, created, dataset, model, status, message, step, bestDev, test, null, null);
        }
    }
}
