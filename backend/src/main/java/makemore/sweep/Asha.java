package makemore.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Asynchronous successive halving (ASHA, Li et al., MLSys 2020), the rule only: no storage, no threads. Callers
 * bring a trial's dev at a rung and the devs recorded there before it; the database decides who came first.
 */
public final class Asha {
    private Asha() {}

    /** The rungs' step counts: minSteps x eta^k below {@code steps}, then {@code steps} itself (the full budget). */
    public static List<Long> rungs(int minSteps, int eta, long steps) {
        List<Long> out = new ArrayList<>();
        for (long r = minSteps; r < steps; r *= eta) {
            out.add(r);
        }
        out.add(steps);
        return out;
    }

    /**
     * How many of {@code n} results at a rung are promoted: the top 1/eta, but at least one, so that the first
     * trials to arrive (which cannot wait for the others: a stopped run is not resumed) go on when they lead.
     */
    public static int promotable(int n, int eta) {
        return Math.max(1, n / eta);
    }

    /**
     * Whether a trial with {@code dev} is in the top 1/eta of the results at its rung so far, itself included. A
     * non-finite dev is never promoted; ties go to the trial already there.
     */
    public static boolean promote(double dev, List<Double> earlier, int eta) {
        if (!Double.isFinite(dev)) {
            return false;
        }
        return rank(dev, earlier) < promotable(earlier.size() + 1, eta);
    }

    /** 0 for the best: how many earlier results are as good or better (a non-finite one counts as worst). */
    public static int rank(double dev, List<Double> earlier) {
        int better = 0;
        for (Double d : earlier) {
            if (d != null && Double.isFinite(d) && d <= dev) {
                better++;
            }
        }
        return better;
    }

    /** The pruned trial's reason, in words: where it stopped and against what ({@code cooldown} 0: plain dev). */
    public static String why(int rung, long step, double dev, List<Double> earlier, int eta, int cooldown) {
        int n = earlier.size() + 1;
        return String.format(Locale.ROOT, "pruned at rung %d (step %d): dev %.4f%s ranks %d of %d there, and only the"
                + " top %d (1/%d) go on", rung, step, dev, cooldown > 0 ? " after a " + cooldown + "-step cooldown" : "",
                Math.min(rank(dev, earlier), n - 1) + 1, n, promotable(n, eta), eta);
    }
}
