package makemore.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import makemore.store.RungStore;

/**
 * An ASHA sweep's rungs, as GET /api/sweeps/{id}/rungs and {@code ./lab sweep --json} show them: per rung how many
 * trials reached it and how many went on; per trial its dev at each rung it reached, its run and its status.
 */
public record AshaView(int eta, int minSteps, int cooldown, List<Rung> rungs, List<Trial> trials) {

    /** {@code promoted} counts trials that went on, {@code pruned} those stopped there; at the top rung both are 0. */
    public record Rung(int rung, long step, int reached, int promoted, int pruned) {}

    public record Trial(int trial, Map<String, Object> params, String run, String status, List<At> rungs) {}

    /**
     * A trial at one rung: {@code promoted} null at the top rung; {@code dev} what it was ranked by there (below the
     * top rung with a cooldown: its dev after the cooldown branch).
     */
    public record At(int rung, long step, Double dev, Boolean promoted) {}

    public static AshaView of(SweepDefinition def, List<RungStore.Row> rows, List<SweepView.Point> points) {
        List<Long> steps = def.search().rungs(def.base().steps());
        int[] reached = new int[steps.size()];
        int[] promoted = new int[steps.size()];
        int[] pruned = new int[steps.size()];
        Map<Integer, List<At>> byTrial = new LinkedHashMap<>();
        for (RungStore.Row r : rows) {
            if (r.rung() < 0 || r.rung() >= steps.size()) {
                continue;
            }
            reached[r.rung()]++;
            if (r.promoted() != null) {
                (r.promoted() ? promoted : pruned)[r.rung()]++;
            }
            byTrial.computeIfAbsent(r.trial(), k -> new ArrayList<>()).add(new At(r.rung(), r.step(), r.dev(),
                    r.promoted()));
        }
        List<Rung> rungs = new ArrayList<>();
        for (int k = 0; k < steps.size(); k++) {
            rungs.add(new Rung(k, steps.get(k), reached[k], promoted[k], pruned[k]));
        }
        List<Trial> trials = new ArrayList<>();
        for (SweepView.Point p : points) {
            trials.add(new Trial(p.index(), p.params(), p.run(), p.status(), byTrial.getOrDefault(p.index(), List.of())));
        }
        return new AshaView(def.search().eta(), def.search().minSteps(), def.search().cooldown(), rungs, trials);
    }

    /** The steps the cooldown branches trained: one per decision below the top rung. */
    public long cooldownSteps() {
        return (long) cooldown * rungs.stream().mapToInt(r -> r.promoted() + r.pruned()).sum();
    }
}
