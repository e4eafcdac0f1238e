package makemore.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import makemore.config.RunConfig;
import makemore.event.RunEvent;
import makemore.event.RunStatus;

import static makemore.store.RunStore.JSON;
import static makemore.store.RunStore.nullable;

/**
 * Reads one run's whole record (row, metrics, snapshots, LR changes, layer health) on a connection the caller holds
 * under {@link RunStore}'s lock; the caller commits or recovers, so a read is one transaction with the store's others.
 */
final class RunRecordReader {
    private final Connection c;

    RunRecordReader(Connection c) {
        this.c = c;
    }

    Optional<RunRecord> read(String id) throws SQLException, JsonProcessingException {
        RunRecord base;
        try (PreparedStatement p = c.prepareStatement("SELECT created, config, status, message, step, steps_per_sec,"
                + " best_dev, test_loss, test_scored_at, name, note FROM runs WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                Double test = nullable(r, 8);
                base = new RunRecord(id, r.getString(1), RunConfig.fromJson(r.getString(2)),
                        RunStatus.parse(r.getString(3)), r.getString(4), r.getLong(5), r.getDouble(6), nullable(r, 7),
                        test == null ? null : new RunRecord.TestScore(test, r.getString(9)), null, null, null, null,
                        null, r.getString(10), r.getString(11));
            }
        }
        List<RunRecord.Point> progress = new ArrayList<>();
        List<RunEvent.Eval> evals = new ArrayList<>();
        Map<Long, Double> penalties = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT step, kind, value, lr FROM metrics WHERE run_id = ?"
                + " ORDER BY step, kind")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    Double v = nullable(r, 3);
                    if (r.getString(2).equals("penalty")) {
                        penalties.put(r.getLong(1), v); // "penalty" sorts before "progress" at the same step
                    } else if (r.getString(2).equals("progress")) {
                        progress.add(new RunRecord.Point(r.getLong(1), v == null ? Double.NaN : v, r.getDouble(4),
                                penalties.remove(r.getLong(1))));
                    } else {
                        evals.add(new RunEvent.Eval(r.getLong(1), r.getString(2),
                                v == null ? Double.POSITIVE_INFINITY : v));
                    }
                }
            }
        }
        RunEvent.Samples samples = null;
        RunEvent.Embedding embedding = null;
        try (PreparedStatement p = c.prepareStatement("SELECT kind, body FROM snapshots WHERE run_id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    if (r.getString(1).equals("samples")) {
                        samples = JSON.readValue(r.getString(2), RunEvent.Samples.class);
                    } else if (r.getString(1).equals("embedding")) {
                        embedding = JSON.readValue(r.getString(2), RunEvent.Embedding.class);
                    }
                }
            }
        }
        List<RunEvent.LrChange> changes = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT step, lr FROM lr_changes WHERE run_id = ? ORDER BY step")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    changes.add(new RunEvent.LrChange(r.getLong(1), r.getDouble(2)));
                }
            }
        }
        return Optional.of(new RunRecord(id, base.created(), base.config(), base.status(), base.message(),
                base.step(), base.stepsPerSec(), base.bestDev(), base.test(), progress, evals, samples, embedding,
                changes, base.name(), base.note(), health(id), devNames(id)));
    }

    /** The hardest and easiest dev items at each evaluation, in step order (empty for runs from before them). */
    private List<RunEvent.DevNames> devNames(String id) throws SQLException, JsonProcessingException {
        List<RunEvent.DevNames> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT body FROM dev_names WHERE run_id = ? ORDER BY step")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(JSON.readValue(r.getString(1), RunEvent.DevNames.class));
                }
            }
        }
        return out;
    }

    /** The run's layer health: the series without histograms, the latest evaluation in full; null if none. */
    private RunRecord.HealthHistory health(String id) throws SQLException, JsonProcessingException {
        List<RunEvent.Health> series = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT body FROM health WHERE run_id = ? ORDER BY step")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    series.add(JSON.readValue(r.getString(1), RunEvent.Health.class));
                }
            }
        }
        RunEvent.Health latest = null;
        try (PreparedStatement p = c.prepareStatement("SELECT body FROM snapshots WHERE run_id = ? AND kind = ?")) {
            p.setString(1, id);
            p.setString(2, "health");
            try (ResultSet r = p.executeQuery()) {
                if (r.next()) {
                    latest = JSON.readValue(r.getString(1), RunEvent.Health.class);
                }
            }
        }
        return latest == null ? null : new RunRecord.HealthHistory(series, latest);
    }

}
