package makemore.train;

import makemore.config.Limits;
import makemore.event.RunEvent;
import makemore.event.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** How others steer a running trainer: stop between steps, change the learning rate from the next step on. */
public final class RunControl {
    private volatile boolean stopRequested;
    private volatile Double pendingLr;
    private final TreeMap<Long, Double> planned = new TreeMap<>();

    private volatile RunStatus stopAs = RunStatus.STOPPED;
    private volatile String stopReason;

    public void requestStop() {
        stopRequested = true;
    }

    /** Stops like {@link #requestStop()}, but the run ends as {@code as} (e.g. pruned by its sweep) saying why. */
    public void requestStop(RunStatus as, String reason) {
        stopAs = as;
        stopReason = reason;
        stopRequested = true;
    }

    public RunStatus stopStatus() {
        return stopAs;
    }

    /** Why the run was asked to stop, or null for a plain stop. */
    public String stopReason() {
        return stopReason;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /** Takes effect at the next step; the trainer reports it as an {@link RunEvent.LrChange}. */
    public void setLr(double lr) {
        pendingLr = Limits.LR.check("lr", lr);
    }

    /** Replays a recorded change at exactly {@code step}, so a re-run reproduces a steered run. */
    public synchronized void planLr(long step, double lr) {
        planned.put(step, lr);
    }

    public synchronized List<RunEvent.LrChange> plannedChanges() {
        List<RunEvent.LrChange> out = new ArrayList<>();
        planned.forEach((s, lr) -> out.add(new RunEvent.LrChange(s, lr)));
        return out;
    }

    /** The new base learning rate to use from {@code step} on, or null to keep the current one. */
    synchronized Double lrChangeAt(long step) {
        Double p = planned.remove(step);
        Double live = pendingLr;
        if (live != null) {
            pendingLr = null;
            return live;
        }
        return p;
    }
}
