package makemore.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import makemore.config.Limits;
import makemore.event.RunEvent;
import makemore.store.RunRecord;

/**
 * What a run's saved (best-dev) parameters answer, for any stored run and a run still training: samples, a word's
 * probabilities, the next-character distribution at each position of a text, dev NLL by position. All of it goes
 * through the one sampling and scoring routine ({@link makemore.model.Sampler}).
 */
public final class RunInsights implements AutoCloseable {
    private final Function<String, RunRecord> runs;
    private final SavedModels saved;
    /** A dev pass per request: a second tab on the same run waits for the first's answer, then reads it cached. */
    private final BoundedJob byPosition = new BoundedJob("loss by position", 5000);
    /** Answers by run and best dev (a new best means new parameters), the most recent few. */
    private final Map<String, double[][]> byPositionDone = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, double[][]> eldest) {
            return size() > 16;
        }
    };

    RunInsights(Function<String, RunRecord> runs, SavedModels saved) {
        this.runs = runs;
        this.saved = saved;
    }

    public List<RunEvent.Sample> samples(String id, int n, double temperature, long seed) {
        Limits.SAMPLES.check("n", n);
        Limits.TEMPERATURE.check("temperature", temperature);
        return saved.samples(runs.apply(id), n, temperature, seed);
    }

    public record Probe(String word, List<Map<String, Object>> chars, double nll) {}

    /**
     * Why the run scores {@code text} as it does: the next-character distribution at each position, from its best-dev
     * parameters; {@code parametersFromStep} says which evaluation those are (a run still training has later steps).
     */
    public Map<String, Object> explain(String id, String text) {
        RunRecord r = runs.apply(id);
        makemore.model.Sampler.Explanation e = saved.explain(r, text);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("run", id);
        out.put("text", e.text());
        out.put("vocab", e.vocab());
        out.put("positions", e.positions());
        out.put("nll", e.nll());
        provenance(out, r);
        return out;
    }

    /** Which evaluation the saved parameters come from: a run still training has later steps. */
    private static void provenance(Map<String, Object> out, RunRecord r) {
        out.put("status", r.status().label());
        out.put("parametersFromStep", r.evals().stream().filter(v -> v.split().equals("dev") && Double.isFinite(v.loss()))
                .min(java.util.Comparator.comparingDouble(RunEvent.Eval::loss)).map(RunEvent.Eval::step).orElse(null));
    }

    /** Every head's attention over {@code text} (a transformer run), from its best-dev parameters. */
    public Map<String, Object> attention(String id, String text) {
        RunRecord r = runs.apply(id);
        makemore.model.Attribution.Attention a = saved.attention(r, text);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("run", id);
        out.put("text", text);
        out.put("tokens", a.tokens());
        out.put("layers", a.layers());
        provenance(out, r);
        return out;
    }

    /** How strongly each token of {@code text} drives the prediction at {@code position} (null: the end). */
    public Map<String, Object> influence(String id, String text, Integer position) {
        RunRecord r = runs.apply(id);
        makemore.model.Attribution.Influence f = saved.influence(r, text, position);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("run", id);
        out.put("text", text);
        out.put("tokens", f.tokens());
        out.put("position", f.position());
        out.put("next", f.next());
        out.put("influence", f.weights());
        provenance(out, r);
        return out;
    }

    /**
     * Dev NLL by character position (the first character, the second, ..., the end), from the run's best-dev
     * parameters, as a bounded job stopped when {@code clientGone}. The positions' weighted mean is the dev NLL.
     */
    public Map<String, Object> lossByPosition(String id, java.util.function.BooleanSupplier clientGone) {
        RunRecord r = runs.apply(id);
        String key = r.id() + "@" + r.bestDev();
        double[][] sc;
        synchronized (byPositionDone) {
            sc = byPositionDone.get(key);
        }
        if (sc == null) {
            sc = byPosition.run(() -> {
                synchronized (byPositionDone) {
                    double[][] done = byPositionDone.get(key); // computed while this request waited
                    if (done != null) {
                        return done;
                    }
                }
                double[][] computed = saved.devByPosition(r);
                synchronized (byPositionDone) {
                    byPositionDone.put(key, computed);
                }
                return computed;
            }, clientGone);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        double sum = 0;
        double count = 0;
        for (int i = 0; i < sc[0].length; i++) {
            if (sc[1][i] == 0) {
                continue;
            }
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            row.put("position", i == sc[0].length - 1 ? "end" : Integer.toString(i + 1));
            row.put("nll", sc[0][i] / sc[1][i]);
            row.put("tokens", (long) sc[1][i]);
            rows.add(row);
            sum += sc[0][i];
            count += sc[1][i];
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("run", id);
        out.put("split", "dev");
        out.put("positions", rows);
        out.put("nll", sum / count);
        return out;
    }

    public Probe probe(String id, String word) {
        return saved.probe(runs.apply(id), word);
    }

    @Override
    public void close() {
        byPosition.close();
    }
}
