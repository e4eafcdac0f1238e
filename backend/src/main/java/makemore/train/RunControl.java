package makemore.train;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** How others steer a running trainer: stop between steps, change the learning rate from the next step on. */
public final class RunControl {
    private volatile boolean stopRequested;
    private volatile Double pendingLr;
    private final TreeMap<Long, Double> planned = new TreeMap<>();

    public void requestStop() {
        stopRequested = true;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /** Takes effect at the next step; the trainer reports it as an {@link RunEvent.LrChange}. */
    public void setLr(double lr) {
        if (!(lr > 0) || lr > 1000) {
            throw new ConfigException("lr", "lr must be in (0, 1000], got " + lr);
        }
        pendingLr = lr;
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
