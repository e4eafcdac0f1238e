package makemore.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The median rule, free of storage and threads: callers bring the finished points' dev at the same step. */
public final class Pruner {
    private Pruner() {}

    /**
     * Why a point with {@code dev} at {@code step} should stop, or null to let it go on: it is pruned when at least
     * {@code prune.minFinished()} finished points were evaluated at that step and {@code dev} exceeds their median by
     * more than the margin.
     */
    public static String verdict(SweepDefinition.Prune prune, long step, double dev, List<Double> finishedDevs) {
        if (prune == null || finishedDevs.size() < prune.minFinished()) {
            return null;
        }
        double median = median(finishedDevs);
        if (Double.isNaN(dev) || dev > median + prune.margin()) {
            return String.format(java.util.Locale.ROOT, "pruned at step %d: dev %.4f is worse than the median %.4f of"
                    + " %d finished points by more than %.4g", step, dev, median, finishedDevs.size(), prune.margin());
        }
        return null;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
