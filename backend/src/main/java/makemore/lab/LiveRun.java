package makemore.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import makemore.store.RunRecord;
import makemore.config.RunConfig;
import makemore.train.RunControl;
import makemore.event.RunEvent;
import makemore.event.RunStatus;

/**
 * A queued or training run's state in memory, so a viewer that connects mid-run gets everything so far and then
 * every later event, with no gap and no duplicate: snapshot and subscription happen under the same lock as
 * event delivery.
 */
final class LiveRun {
    final String id;
    final String created;
    final RunConfig config;
    final RunControl control = new RunControl();
    /** Set by the store writer when this run's results could not be written; the run then fails. */
    volatile String storeFailure;
    /** Scored while this run's last events are still being written: shown until it leaves memory. */
    volatile RunRecord.TestScore test;
    private final List<Consumer<RunEvent>> subscribers = new CopyOnWriteArrayList<>();
    private RunStatus status = RunStatus.QUEUED;
    private String message = RunStatus.WAITING;
    private long step;
    private double stepsPerSec;
    private Double bestDev;
    private final List<RunRecord.Point> progress = new ArrayList<>();
    private final List<RunEvent.Eval> evals = new ArrayList<>();
    private RunEvent.Samples samples;
    private RunEvent.Embedding embedding;
    private final List<RunEvent.LrChange> lrChanges = new ArrayList<>();
    private final List<RunEvent.Health> health = new ArrayList<>();
    private final List<RunEvent.DevNames> devNames = new ArrayList<>();
    private RunEvent.Health latestHealth;

    LiveRun(String id, String created, RunConfig config) {
        this.id = id;
        this.created = created;
        this.config = config;
    }

    synchronized void onEvent(RunEvent e) {
        if (e instanceof RunEvent.Progress p) {
            progress.add(RunRecord.Point.of(p));
            stepsPerSec = p.stepsPerSec();
        } else if (e instanceof RunEvent.Eval ev) {
            evals.add(ev);
            if (ev.split().equals("dev") && Double.isFinite(ev.loss()) && (bestDev == null || ev.loss() < bestDev)) {
                bestDev = ev.loss();
            }
        } else if (e instanceof RunEvent.Samples s) {
            samples = s;
        } else if (e instanceof RunEvent.Embedding em) {
            embedding = em;
        } else if (e instanceof RunEvent.Health h) {
            health.add(h.withoutHistograms());
            latestHealth = h;
        } else if (e instanceof RunEvent.DevNames d) {
            devNames.add(d);
        } else if (e instanceof RunEvent.LrChange c) {
            lrChanges.add(c);
        } else if (e instanceof RunEvent.Status s) {
            status = s.status();
            message = s.message();
        }
        step = Math.max(step, e.step());
        for (Consumer<RunEvent> s : subscribers) {
            s.accept(e); // subscribers only enqueue: never blocks training
        }
    }

    /** The state so far, and from now on every event to {@code subscriber}. */
    synchronized RunRecord subscribe(Consumer<RunEvent> subscriber) {
        subscribers.add(subscriber);
        return snapshot();
    }

    void unsubscribe(Consumer<RunEvent> subscriber) {
        subscribers.remove(subscriber);
    }

    synchronized RunStatus status() {
        return status;
    }

    synchronized RunRecord snapshot() {
        return new RunRecord(id, created, config, status, message, step, stepsPerSec, bestDev, test,
                List.copyOf(progress), List.copyOf(evals), samples, embedding, List.copyOf(lrChanges), null, null,
                latestHealth == null ? null : new RunRecord.HealthHistory(List.copyOf(health), latestHealth),
                List.copyOf(devNames));
    }
}
