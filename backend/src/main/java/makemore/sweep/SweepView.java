package makemore.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import makemore.store.SweepStore;
import makemore.event.RunStatus;

/**
 * A sweep as GET /api/sweeps/{id}, the sweep WebSocket and {@code ./lab sweep --json} show it: its definition,
 * every point (with a run or still pending), groups of seeds with mean and spread, the best point, and which swept
 * field mattered ({@link Importance}: omitted, with the reason, below two varying fields or four finished points).
 */
public record SweepView(String id, String created, String status, String hash, Map<String, Object> definition,
        int runs, Map<String, Integer> counts, List<Point> points, List<Group> groups, Best best, Test test,
        Importance.Result importance) {

    /** One run of the sweep; run/status null-free: a point no process has started yet is "pending". */
    public record Point(int index, int group, Map<String, Object> params, String run, String status, long step,
            Double train, Double dev, Double bestDev, String message) {}

    /** The runs that share swept values (differing only in seed): dev mean and standard deviation of finished ones. */
    public record Group(int group, Map<String, Object> params, List<Integer> points, int finished, Double devMean,
            Double devStd, Double trainMean) {}

    public record Best(int index, int group, Map<String, Object> params, String run, Double train, Double dev,
            Double devMean, Double devStd, String rule) {}

    public record Test(String run, double loss, String scoredAt) {}

    public static final String BEST_RULE = "the group (swept values) with the lowest mean final dev NLL over its"
            + " finished runs; its run with the lowest dev";

    /**
     * @param live a point run's state now when this process trains it (null otherwise): the store lags the
     *             trainers by up to a write batch
     */
    public static SweepView of(SweepStore.Sweep sweep, SweepDefinition def, List<SweepStore.PointRun> stored,
            Function<SweepStore.PointRun, SweepStore.PointRun> live) {
        return of(sweep, def, def.expand(), stored, live);
    }

    /** The same, with the definition's points already expanded (callers that show a sweep often keep them). */
    public static SweepView of(SweepStore.Sweep sweep, SweepDefinition def, List<SweepDefinition.Point> expanded,
            List<SweepStore.PointRun> stored, Function<SweepStore.PointRun, SweepStore.PointRun> live) {
        Map<Integer, SweepStore.PointRun> byPoint = new TreeMap<>();
        for (SweepStore.PointRun p : stored) {
            SweepStore.PointRun now = p.status().terminal() || live == null ? p : live.apply(p);
            byPoint.put(p.point(), now == null ? p : now);
        }
        List<Point> points = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        boolean allDone = true;
        for (SweepDefinition.Point e : expanded) {
            SweepStore.PointRun r = byPoint.get(e.index());
            Point p = r == null
                    ? new Point(e.index(), e.group(), e.params(), null, "pending", 0, null, null, null, null)
                    : new Point(e.index(), e.group(), e.params(), r.run(), r.status().label(), r.step(), r.train(),
                            r.dev(), r.bestDev(), r.message());
            points.add(p);
            counts.merge(p.status(), 1, Integer::sum);
            allDone &= r != null && r.status().terminal();
        }
        String status = "stopped".equals(sweep.status()) ? "stopped" : allDone ? "finished" : "running";
        List<Group> groups = groups(points);
        Best best = best(points, groups);
        Test test = sweep.testRun() == null ? null : new Test(sweep.testRun(), sweep.testLoss(), sweep.testScoredAt());
        @SuppressWarnings("unchecked")
        Map<String, Object> definition = SweepDefinition.JSON.convertValue(def.toJsonTree(), LinkedHashMap.class);
        return new SweepView(sweep.id(), sweep.created(), status, sweep.hash(), definition, expanded.size(), counts,
                points, groups, best, test, importance(def, points));
    }

    /** Over finished points only: a pruned or running point's dev is not its final one. */
    private static Importance.Result importance(SweepDefinition def, List<Point> points) {
        List<Importance.Observation> done = new ArrayList<>();
        for (Point p : points) {
            if (RunStatus.FINISHED.label().equals(p.status()) && p.dev() != null && Double.isFinite(p.dev())) {
                done.add(new Importance.Observation(p.params(), p.dev()));
            }
        }
        return Importance.estimate(def.params().stream().map(SweepDefinition.Param::field).toList(), done);
    }

    private static List<Group> groups(List<Point> points) {
        Map<Integer, List<Point>> by = new TreeMap<>();
        points.forEach(p -> by.computeIfAbsent(p.group(), k -> new ArrayList<>()).add(p));
        List<Group> out = new ArrayList<>();
        by.forEach((g, ps) -> {
            List<Double> devs = new ArrayList<>();
            List<Double> trains = new ArrayList<>();
            for (Point p : ps) {
                if (RunStatus.FINISHED.label().equals(p.status()) && p.dev() != null && Double.isFinite(p.dev())) {
                    devs.add(p.dev());
                    if (p.train() != null) {
                        trains.add(p.train());
                    }
                }
            }
            Map<String, Object> params = new LinkedHashMap<>(ps.get(0).params());
            params.remove("seed");
            if (ps.size() == 1 && ps.get(0).params().containsKey("seed")) {
                params = new LinkedHashMap<>(ps.get(0).params());
            }
            out.add(new Group(g, params, ps.stream().map(Point::index).toList(), devs.size(), mean(devs), std(devs),
                    mean(trains)));
        });
        return out;
    }

    private static Best best(List<Point> points, List<Group> groups) {
        Group bg = null;
        for (Group g : groups) {
            if (g.devMean() != null && (bg == null || g.devMean() < bg.devMean())) {
                bg = g;
            }
        }
        if (bg == null) {
            return null;
        }
        Point bp = null;
        for (int i : bg.points()) {
            Point p = points.get(i);
            if (RunStatus.FINISHED.label().equals(p.status()) && p.dev() != null && Double.isFinite(p.dev())
                    && (bp == null || p.dev() < bp.dev())) {
                bp = p;
            }
        }
        return new Best(bp.index(), bp.group(), bp.params(), bp.run(), bp.train(), bp.dev(), bg.devMean(), bg.devStd(),
                BEST_RULE);
    }

    private static Double mean(List<Double> xs) {
        return xs.isEmpty() ? null : xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** Sample standard deviation; null below two values. */
    private static Double std(List<Double> xs) {
        if (xs.size() < 2) {
            return null;
        }
        double m = mean(xs);
        double ss = xs.stream().mapToDouble(x -> (x - m) * (x - m)).sum();
        return Math.sqrt(ss / (xs.size() - 1));
    }
}
