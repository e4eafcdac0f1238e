package makemore.model;

import java.util.Locale;
import makemore.config.RunConfig;

/**
 * A run's estimated cost before it starts: memory, and wall time as steps times the time of one step plus
 * evaluations times the time of one (each evaluation also measures layer health, about one step more).
 *
 * @param evaluations whole-split evaluations the run makes: every evalEvery steps and at the last step (a model
 *                    without steps is counted and scored once)
 */
public record RunEstimate(long bytes, long steps, double stepSeconds, long evaluations, double evalSeconds,
        double seconds) {

    public static RunEstimate of(RunConfig cfg, Cost cost, MachineSpeed speed) {
        long steps = cfg.totalSteps();
        double step = speed.seconds(cost.step());
        long evals = steps == 0 ? 1 : (steps + cfg.evalEvery() - 1) / cfg.evalEvery();
        double eval = speed.seconds(cost.eval()) + step;
        return new RunEstimate(cost.bytes(), steps, step, evals, eval, steps * step + evals * eval);
    }

    /** Where the time goes, in words: "20,000 steps of about 16 s, 20 evaluations of about 5.1 min". */
    public String breakdown() {
        String evals = String.format(Locale.ROOT, "%,d evaluation%s of about %s", evaluations,
                evaluations == 1 ? "" : "s", duration(evalSeconds));
        return steps == 0 ? evals : String.format(Locale.ROOT, "%,d steps of about %s, ", steps,
                duration(stepSeconds)) + evals;
    }

    /** A duration as people say it: "0.4 ms", "12 s", "4.5 min", "31 h", "9.2 days". */
    public static String duration(double seconds) {
        if (seconds < 1) {
            return seconds < 0.01 ? fmt(seconds * 1000) + " ms" : fmt(seconds) + " s";
        }
        if (seconds < 60) {
            return fmt(seconds) + " s";
        }
        if (seconds < 3600) {
            return fmt(seconds / 60) + " min";
        }
        return seconds < 72 * 3600 ? fmt(seconds / 3600) + " h" : fmt(seconds / 86400) + " days";
    }

    /** Two significant digits, no exponent. */
    private static String fmt(double v) {
        return v >= 10 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2g", v);
    }
}
