package makemore.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import makemore.config.ConfigException;
import makemore.config.Limits;
import makemore.config.RunConfig;
import makemore.data.Corpus;
import makemore.lab.TrainingRun;
import makemore.train.TrainResult;
import org.junit.jupiter.api.Test;

/**
 * The run-time estimate: it grows with every size that makes a step or an evaluation longer, refuses configs over
 * {@link Limits#RUN_SECONDS} naming the field that drives them (and takes the config one step shorter), and lands
 * within loose bounds of a real run (CI is a slower, busier machine than the one the constants come from).
 */
class RunTimeEstimateTest {
    static final Corpus NAMES = AutogradConcurrencyTest.NAMES;

    /** The issue's example: one step of it and an evaluation took over a minute. */
    static final String HUGE = "{\"model\":\"mlp\",\"hidden\":4096,\"embDim\":512,\"context\":16,\"batch\":4096}";

    static RunConfig cfg(String json) {
        return Models.validate(RunConfig.fromJson(json));
    }

    static double seconds(String json) {
        return Models.estimate(cfg(json), NAMES).seconds();
    }

    private static void growsWith(String model, String field, List<Integer> values) {
        double prev = 0;
        for (int v : values) {
            double s = seconds("{\"model\":\"" + model + "\",\"" + field + "\":" + v + "}");
            assertTrue(s > prev, model + ": " + field + " " + v + " gives " + s + " s, not more than " + prev);
            prev = s;
        }
    }

    @Test
    void theEstimateGrowsWithEverySize() {
        growsWith("mlp", "hidden", List.of(10, 200, 1000, 4000));
        growsWith("mlp", "embDim", List.of(2, 10, 100, 500));
        growsWith("mlp", "context", List.of(1, 3, 8, 16));
        growsWith("mlp", "batch", List.of(1, 32, 512, 4096));
        growsWith("mlp", "steps", List.of(1, 1000, 20000, 200000));
        growsWith("transformer", "layers", List.of(1, 4, 8));
        growsWith("transformer", "embDim", List.of(16, 64, 256));
        growsWith("transformer", "batch", List.of(8, 32, 256));
        growsWith("wavenet", "hidden", List.of(16, 128, 512));
        growsWith("gru", "hidden", List.of(16, 64, 256));
        // more frequent evaluations cost more
        assertTrue(seconds("{\"model\":\"mlp\",\"evalEvery\":100}") > seconds("{\"model\":\"mlp\",\"evalEvery\":1000}"));
        RunEstimate e = Models.estimate(cfg("{\"model\":\"mlp\"}"), NAMES);
        assertEquals(20000, e.steps());
        assertEquals(20, e.evaluations());
        assertEquals(e.steps() * e.stepSeconds() + e.evaluations() * e.evalSeconds(), e.seconds(), 1e-9);
    }

    @Test
    void theIssuesExampleIsRefusedNamingWhatDrivesIt() {
        RunConfig huge = cfg(HUGE);
        double s = Models.estimate(huge, NAMES).seconds();
        assertTrue(s > Limits.RUN_SECONDS, "estimated " + s + " s");
        ConfigException e = assertThrows(ConfigException.class, () -> Models.checkFits(huge, NAMES));
        assertEquals("hidden", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("on this machine") && e.getMessage().contains("the limit is 24 h"),
                e.getMessage());
        for (String f : List.of("hidden", "context", "embDim", "batch", "steps")) {
            assertTrue(e.getMessage().contains(f), f + " is named: " + e.getMessage());
        }
        // a step of one item is quick; a thousand evaluations over every train and dev item of a big RNN are not (an
        // MLP's evaluation scores only the distinct contexts: 55 s at its largest sizes, too quick for this)
        ConfigException evals = assertThrows(ConfigException.class, () -> Models.checkFits(
                cfg("{\"model\":\"rnn\",\"hidden\":3072,\"batch\":1,\"steps\":1000,"
                        + "\"evalEvery\":1}"), NAMES));
        assertTrue(evals.getMessage().contains("raise evalEvery"), evals.getMessage());
    }

    @Test
    void justUnderTheLimitIsTakenAndOneStepMoreIsNot() {
        String size = "{\"model\":\"mlp\",\"hidden\":1024,\"embDim\":64,\"context\":8,\"batch\":512,\"evalEvery\":5000,"
                + "\"steps\":%d}";
        int lo = 1;
        int hi = 5_000_000;
        assertTrue(seconds(String.format(size, hi)) > Limits.RUN_SECONDS, "the search brackets the limit");
        while (hi - lo > 1) { // the most steps whose estimate is within the limit
            int mid = (lo + hi) >>> 1;
            if (seconds(String.format(size, mid)) <= Limits.RUN_SECONDS) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        RunConfig under = cfg(String.format(size, lo));
        RunConfig over = cfg(String.format(size, lo + 1));
        RunEstimate fits = assertDoesNotThrow(() -> Models.checkFits(under, NAMES));
        assertTrue(fits.seconds() > 0.99 * Limits.RUN_SECONDS, "just under: " + fits.seconds());
        ConfigException e = assertThrows(ConfigException.class, () -> Models.checkFits(over, NAMES));
        // the steps are most of it (its 820 evaluations score 61,000 distinct contexts each): batch drives it most
        assertEquals("batch", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("would take about 24 h"), e.getMessage());
    }

    /** A real short run, timed: the estimate is for the lab's machine, so only the order of magnitude is held. */
    @Test
    void aRealRunLandsWithinLooseBoundsOfTheEstimate() {
        RunConfig c = cfg("{\"model\":\"mlp\",\"hidden\":512,\"embDim\":32,\"context\":8,\"batch\":256,\"steps\":300,"
                + "\"evalEvery\":300,\"sampleEvery\":0}");
        RunEstimate e = Models.checkFits(c, NAMES);
        TrainResult r = TrainingRun.of(c, NAMES).run();
        double ratio = r.seconds() / e.seconds();
        assertTrue(ratio > 0.2 && ratio < 10, "measured " + r.seconds() + " s against an estimate of " + e.seconds()
                + " s (" + e.breakdown() + ")");
    }
}
