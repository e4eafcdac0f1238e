package makemore.bench;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import makemore.config.RunConfig;
import makemore.model.Models;
import makemore.store.RunStore;
import makemore.store.SweepStore;

/**
 * A store with many runs, as sweeps with seeds make them: {@code sweeps} sweeps of {@code perSweep} MLP points
 * (lr values), plus {@code loose} runs of no sweep across the models, ended with seeded dev scores. For the run-list
 * bench and the tests that hold the list to its bounds at that scale.
 */
public final class ManyRuns {
    private ManyRuns() {}

    /** The ids of the sweeps made, in order. */
    public static List<String> fill(RunStore store, int sweeps, int perSweep, int loose) {
        SweepStore ss = new SweepStore(store);
        Random r = new Random(7);
        long t0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        long[] clock = {t0};
        List<String> ids = new ArrayList<>();
        String[] models = {"ngram", "neural", "mlp", "wavenet", "rnn", "gru", "transformer"};
        for (int s = 0; s < sweeps; s++) {
            String sweep = String.format(Locale.ROOT, "many%03d", s);
            String created = Instant.ofEpochMilli(clock[0] += 1000).toString();
            RunConfig base = Models.validate(RunConfig.fromJson("{\"model\":\"mlp\"}"));
            List<SweepStore.NewRun> runs = new ArrayList<>();
            for (int p = 0; p < perSweep; p++) {
                runs.add(new SweepStore.NewRun(p, String.format(Locale.ROOT, "m%03dp%04d", s, p),
                        base.with("lr", 0.01 + p * 0.001)));
            }
            String def = "{\"base\":" + base.toJson() + ",\"params\":[{\"field\":\"lr\",\"values\":[0.01]}]}";
            ss.create(sweep, created, "h" + s, def, base.toJson(), perSweep, runs);
            ids.add(sweep);
        }
        store.transaction(c -> {
            try (PreparedStatement end = c.prepareStatement("UPDATE runs SET status = 'finished', step = 20000,"
                    + " best_dev = ?, created = ? WHERE id = ?")) {
                for (int s = 0; s < sweeps; s++) {
                    for (int p = 0; p < perSweep; p++) {
                        end.setDouble(1, 2.1 + 0.4 * r.nextDouble());
                        end.setString(2, Instant.ofEpochMilli(clock[0] += 10).toString());
                        end.setString(3, String.format(Locale.ROOT, "m%03dp%04d", s, p));
                        end.addBatch();
                    }
                }
                end.executeBatch();
            }
            try (PreparedStatement add = c.prepareStatement("INSERT INTO runs (id, created, dataset, model, config,"
                    + " status, message, step, best_dev, name) VALUES (?, ?, 'names', ?, ?, ?, NULL, ?, ?, ?)")) {
                for (int i = 0; i < loose; i++) {
                    String model = models[i % models.length];
                    add.setString(1, String.format(Locale.ROOT, "loose%05d", i));
                    add.setString(2, Instant.ofEpochMilli(clock[0] += 10).toString());
                    add.setString(3, model);
                    add.setString(4, Models.validate(RunConfig.fromJson("{\"model\":\"" + model + "\"}")).toJson());
                    add.setString(5, i % 10 == 0 ? "stopped" : "finished");
                    add.setLong(6, 1000);
                    add.setDouble(7, 2.0 + 0.6 * r.nextDouble());
                    add.setString(8, i % 3 == 0 ? "try " + i : null);
                    add.addBatch();
                }
                add.executeBatch();
            }
            return null;
        });
        return ids;
    }
}
