package makemore.lab;

import makemore.event.RunStatus;
import makemore.store.SweepStore;
import makemore.sweep.Pruner;
import makemore.sweep.SweepDefinition;

/**
 * What stops a sweep's point after a dev evaluation, the same in the lab and in {@code ./lab sweep}: the sweep was
 * stopped (from the page or by any process on the same database), or the median rule prunes it.
 */
public final class SweepJudge {
    private SweepJudge() {}

    public static TrainingRun.DevJudge of(SweepStore sweeps, String sweepId, SweepDefinition.Prune prune) {
        return (step, dev) -> {
            if ("stopped".equals(sweeps.get(sweepId).map(SweepStore.Sweep::status).orElse(""))) {
                return new TrainingRun.Stop(RunStatus.STOPPED, null);
            }
            String why = prune == null ? null : Pruner.verdict(prune, step, dev, sweeps.finishedDevs(sweepId, step));
            return why == null ? null : new TrainingRun.Stop(RunStatus.PRUNED, why);
        };
    }
}
