package makemore.lab;

import java.util.List;
import makemore.event.RunStatus;
import makemore.store.RungStore;
import makemore.store.SweepStore;
import makemore.sweep.Asha;
import makemore.sweep.Pruner;
import makemore.sweep.SweepDefinition;

/**
 * What stops a sweep's point after a dev evaluation, the same in the lab and in {@code ./lab sweep}: the sweep was
 * stopped (from the page or by any process on the same database), the median rule prunes it, or, under ASHA, it
 * reached a rung where the database finds it outside the top 1/eta so far. Below the top rung a trial is ranked by
 * its dev after the search's cooldown (a branch at the final learning rate, the run itself unchanged), so a trial
 * whose high rate keeps its dev noisy until the rate decays is judged by what it reaches once it has decayed.
 */
public final class SweepJudge {
    private SweepJudge() {}

    public static TrainingRun.DevJudge of(SweepStore sweeps, RungStore rungs, String sweepId, SweepDefinition def,
            int point) {
        SweepDefinition.Prune prune = def.prune();
        List<Long> rungSteps = def.search().asha() ? def.search().rungs(def.base().steps()) : List.of();
        int eta = def.search().eta();
        int cooldown = def.search().cooldown();
        return (step, dev, branch) -> {
            if ("stopped".equals(sweeps.get(sweepId).map(SweepStore.Sweep::status).orElse(""))) {
                return new TrainingRun.Stop(RunStatus.STOPPED, null);
            }
            int rung = rungSteps.indexOf(step);
            if (rung >= 0) {
                boolean top = rung == rungSteps.size() - 1;
                double score = top || cooldown == 0 ? dev : branch.dev(cooldown);
                RungStore.Decision d = rungs.decide(sweepId, point, rung, step, score,
                        top ? null : (x, earlier) -> Asha.promote(x, earlier, eta));
                return d.promoted() ? null : new TrainingRun.Stop(RunStatus.PRUNED,
                        Asha.why(rung, step, score, d.earlier(), eta, top ? 0 : cooldown));
            }
            String why = prune == null ? null : Pruner.verdict(prune, step, dev, sweeps.finishedDevs(sweepId, step));
            return why == null ? null : new TrainingRun.Stop(RunStatus.PRUNED, why);
        };
    }
}
