package makemore.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import makemore.config.ConfigException;
import makemore.config.Limits;
import makemore.data.Corpus;
import makemore.model.ModelSpec;
import makemore.model.Models;

/**
 * Which of a sweep's points train together as one batched model: points whose model opts in ({@link ModelSpec#group})
 * and whose parameters have the same shapes, at most {@code k} a group, and never more together than one run's
 * memory limit ({@link Limits#RUN_BYTES}, summed over the group's estimates): a group that would pass it is split,
 * never refused. Every other point is a group of one (trained alone, as before).
 */
public final class Together {
    /**
     * Points a group holds at most when the caller does not say. 16: a 16-point MLP lr sweep of 5,000 steps measured
     * 1.27x faster through ./lab sweep and 1.33x through the server than one point at a time, 1.06x with the cores
     * busy (no measured pair slower; README, "Training points together"); its peak memory is 1.5x.
     */
    public static final int DEFAULT = 16;
    /**
     * The fewest points a group holds when the caller does not say; fewer train alone. A batched step of the default
     * MLP measured slower a point than a solo step for 2 and 3 points (0.7x, 0.8x), even at 4, 1.1x at 5 and 6, 1.3x
     * at 8 (scratch loop, 2026-12-06, load ~2), and a group's members also pay for meeting every step.
     */
    public static final int LEAST = 8;
    /** The most: as many as may be queued at all. */
    public static final int MAX = Limits.QUEUED_RUNS;

    private Together() {}

    /** {@code k} when it is a group size this lab takes; a ConfigException naming {@code together} otherwise. */
    public static int check(int k) {
        if (k < 1 || k > MAX) {
            throw new ConfigException("together", "together must be 1 (each point alone) to " + MAX
                    + " (the queue bound), got " + k);
        }
        return k;
    }

    /** A sweep's JSON without {@code together}, the group size it asked for, and the fewest a group may hold. */
    public record Asked(int k, int least, String sweep) {}

    /**
     * How a sweep's points group: {@code asked} (from {@code together} or {@code --together}) as asked, each group
     * as large as it comes; when nothing was asked, {@link #DEFAULT} with groups under {@link #LEAST} trained alone,
     * or 1 where the order in which points arrive decides, since a group's points arrive together: the median rule
     * ({@code prune}) compares a point with finished ones, and ASHA promotes a trial by those that reached its rung
     * before it.
     */
    public static Asked plan(Integer asked, ObjectNode sweep) {
        if (asked != null) {
            return new Asked(check(asked), 1, sweep.toString());
        }
        boolean byArrival = sweep.hasNonNull("prune") || "asha".equals(sweep.path("search").path("kind").asText());
        return new Asked(byArrival ? 1 : DEFAULT, LEAST, sweep.toString());
    }

    /**
     * The grouping a sweep's JSON asks for in {@code together}, taken out of it (how a sweep trains is not part of
     * its definition or hash), as {@link #plan} makes it. JSON that is not an object is left as it is, for the
     * definition to refuse.
     */
    public static Asked take(String json) {
        JsonNode root;
        try {
            root = SweepDefinition.JSON.readTree(json == null ? "" : json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Asked(DEFAULT, LEAST, json);
        }
        if (!(root instanceof ObjectNode sweep)) {
            return new Asked(DEFAULT, LEAST, json);
        }
        JsonNode t = sweep.remove("together");
        if (t != null && !t.isNull() && (!t.isIntegralNumber() || !t.canConvertToInt())) {
            throw new ConfigException("together", "together must be a whole number from 1 to " + MAX + ", got " + t);
        }
        return plan(t == null || t.isNull() ? null : t.intValue(), sweep);
    }

    /** The points in groups, each group in the points' order, groups in the order of their first point. */
    public static List<List<SweepDefinition.Point>> groups(List<SweepDefinition.Point> points, int k, Corpus corpus) {
        return groups(points, k, 1, corpus);
    }

    /** As {@link #groups(List, int, Corpus)}, where a group of fewer than {@code least} points trains them alone. */
    public static List<List<SweepDefinition.Point>> groups(List<SweepDefinition.Point> points, int k, int least,
            Corpus corpus) {
        List<List<SweepDefinition.Point>> out = new ArrayList<>();
        for (List<SweepDefinition.Point> g : upTo(points, k, corpus)) {
            if (g.size() >= least) {
                out.add(g);
            } else {
                g.forEach(p -> out.add(new ArrayList<>(List.of(p))));
            }
        }
        return out;
    }

    private static List<List<SweepDefinition.Point>> upTo(List<SweepDefinition.Point> points, int k, Corpus corpus) {
        check(k);
        Map<String, List<List<SweepDefinition.Point>>> byShape = new LinkedHashMap<>();
        Map<List<SweepDefinition.Point>, Long> bytes = new java.util.IdentityHashMap<>();
        List<List<SweepDefinition.Point>> out = new ArrayList<>();
        for (SweepDefinition.Point p : points) {
            ModelSpec spec = Models.spec(p.config().model());
            String key = k == 1 || spec.group() == null ? null : spec.group().shapeKey(p.config());
            if (key == null) {
                out.add(new ArrayList<>(List.of(p)));
                continue;
            }
            long b = Models.estimate(p.config(), corpus).bytes();
            List<List<SweepDefinition.Point>> open = byShape.computeIfAbsent(spec.name() + " " + key,
                    x -> new ArrayList<>());
            List<SweepDefinition.Point> last = open.isEmpty() ? null : open.get(open.size() - 1);
            if (last == null || last.size() == k || bytes.get(last) + b > Limits.RUN_BYTES) {
                last = new ArrayList<>();
                open.add(last);
                out.add(last);
                bytes.put(last, 0L);
            }
            last.add(p);
            bytes.put(last, bytes.get(last) + b);
        }
        return out;
    }
}
