package makemore.config;

import java.util.LinkedHashMap;
import java.util.Map;
import makemore.data.Dataset;

/**
 * Every bound a config, a request or a run is held to, stated once here. The checks read these, and
 * {@code GET /api/limits} serves {@link #asMap()} so the page shows the same bounds and mirrors none of them.
 */
public final class Limits {
    private Limits() {}

    /** A closed range, or half-open on the left when {@code minOpen}; {@link #check} names the field it guards. */
    public record Range(double min, double max, boolean minOpen) {
        public static Range closed(double min, double max) {
            return new Range(min, max, false);
        }

        public boolean contains(double x) {
            return (minOpen ? x > min : x >= min) && x <= max;
        }

        /** Throws a {@link ConfigException} on {@code field} unless {@code x} is inside. */
        public double check(String field, double x) {
            if (!contains(x)) {
                throw new ConfigException(field, field + " must be in " + this + ", got " + FieldSpec.fmt(x));
            }
            return x;
        }

        @Override
        public String toString() {
            return (minOpen ? "(" : "[") + FieldSpec.fmt(min) + ", " + FieldSpec.fmt(max) + "]";
        }
    }

    /** The largest run the lab starts: parameters, optimizer state and one step's activations, estimated. */
    public static final long RUN_BYTES = 1L << 30;
    /**
     * The longest run the lab starts, as estimated for this machine from the config's size (model/MachineSpeed):
     * a day, so a slip of a slider cannot hold a trainer for weeks.
     */
    public static final double RUN_SECONDS = 24 * 3600;
    /** A run is evaluated at most this many times (each costs a pass over train and dev). */
    public static final int MAX_EVALS = 1000;
    /** Learning rates, set in a config, steered live or replayed. */
    public static final Range LR = new Range(0, 1000, true);
    public static final int MAX_LR_CHANGES = 10_000;
    public static final Range TEMPERATURE = Range.closed(0.05, 10);
    /** Names drawn by one "sample more" request. */
    public static final Range SAMPLES = Range.closed(1, 200);
    /** Characters of a sampled item or a probed word: a barely trained model rambles, so sampling stops here. */
    public static final int MAX_CHARS = 64;
    /** Runs in one sweep (points x seeds), and seeds per point. */
    public static final int SWEEP_RUNS = 500;
    public static final int SWEEP_SEEDS = 50;
    /** A sweep's median pruning: how far (nats of dev NLL) above the median a point may be. */
    public static final Range PRUNE_MARGIN = Range.closed(0, 10);
    /** Runs waiting for a trainer; more are refused with 429 rather than queued without bound. */
    public static final int QUEUED_RUNS = 1000;
    /** The smoothing-vs-L2 view: neural steps per point and points per curve. */
    public static final Range SMOOTHING_L2_STEPS = Range.closed(1, 2000);
    public static final Range SMOOTHING_L2_POINTS = Range.closed(2, 41);
    /** A run's name and note, in characters. */
    public static final int RUN_NAME = 100;
    public static final int RUN_NOTE = 4000;
    /** Runs a page of the run list holds: the default, and the most one request may ask for. */
    public static final int RUN_PAGE = 100;
    public static final int RUN_PAGE_MAX = 1000;
    /** Runs in one export or comparison request. */
    public static final int EXPORT_RUNS = 200;
    /**
     * Uploads checked at once (each streams its file once, in well under 1 MB), and how long another waits for a
     * place before it is answered 503: a burst of 32 MB uploads queues briefly rather than crowding the CPUs.
     */
    public static final int UPLOAD_CHECKS = 2;
    public static final int UPLOAD_WAIT_SEC = 20;

    /** The limits as the page reads them. */
    public static Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runBytes", RUN_BYTES);
        m.put("runSeconds", RUN_SECONDS);
        m.put("maxEvals", MAX_EVALS);
        m.put("lr", LR);
        m.put("maxLrChanges", MAX_LR_CHANGES);
        m.put("temperature", TEMPERATURE);
        m.put("samples", SAMPLES);
        m.put("maxChars", MAX_CHARS);
        m.put("sweepRuns", SWEEP_RUNS);
        m.put("sweepSeeds", SWEEP_SEEDS);
        m.put("pruneMargin", PRUNE_MARGIN);
        m.put("queuedRuns", QUEUED_RUNS);
        m.put("smoothingL2Steps", SMOOTHING_L2_STEPS);
        m.put("smoothingL2Points", SMOOTHING_L2_POINTS);
        m.put("runName", RUN_NAME);
        m.put("runNote", RUN_NOTE);
        m.put("exportRuns", EXPORT_RUNS);
        m.put("runPage", RUN_PAGE);
        m.put("runPageMax", RUN_PAGE_MAX);
        m.put("datasetMinItems", Dataset.MIN_ITEMS);
        m.put("datasetMaxBytes", Dataset.MAX_BYTES);
        m.put("datasetMaxLineChars", Dataset.MAX_LINE);
        return m;
    }
}
