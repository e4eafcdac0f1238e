package makemore.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * ASHA's rungs in the run database: table {@code sweep_rungs}, one row per (sweep, trial, rung) with the trial's
 * dev there and whether it went on. The row is written in the same transaction that reads the rung's earlier
 * results, after taking the sweep's row lock (SQLite: the write lock), so processes on one database decide one at a
 * time with no coordinator, and the primary key makes a decision final: a trial retrained after its process died
 * gets the decision already taken, never a second one.
 */
public final class RungStore {
    private final RunStore store;

    /** One trial at one rung; {@code promoted} is null at the top rung (the full budget: nothing to go on to). */
    public record Row(int trial, int rung, long step, Double dev, Boolean promoted, String decidedAt) {}

    /** What {@link #decide} found: the decision, and the results at the rung before this trial's. */
    public record Decision(boolean promoted, List<Double> earlier, boolean alreadyDecided) {}

    public RungStore(RunStore store) {
        this.store = store;
        store.transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS sweep_rungs (sweep_id VARCHAR(32) NOT NULL, trial INTEGER NOT NULL,"
                        + " rung INTEGER NOT NULL, step BIGINT NOT NULL, dev DOUBLE PRECISION, promoted INTEGER,"
                        + " decided_at VARCHAR(40) NOT NULL, PRIMARY KEY (sweep_id, trial, rung))");
            }
            return null;
        });
    }

    /**
     * Records {@code trial}'s {@code dev} at {@code rung} and decides, by {@code rule} (dev, the rung's earlier
     * results), whether it goes on; {@code rule} null marks the top rung, recorded with no decision.
     */
    public Decision decide(String sweepId, int trial, int rung, long step, double dev,
            BiPredicate<Double, List<Double>> rule) {
        return store.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE sweeps SET points = points WHERE id = ?")) {
                p.setString(1, sweepId); // the lock first: see SweepStore's class comment
                p.executeUpdate();
            }
            List<Double> earlier = new ArrayList<>();
            Boolean mine = null;
            boolean decided = false;
            try (PreparedStatement p = c.prepareStatement("SELECT trial, dev, promoted FROM sweep_rungs"
                    + " WHERE sweep_id = ? AND rung = ? ORDER BY decided_at, trial")) {
                p.setString(1, sweepId);
                p.setInt(2, rung);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        if (r.getInt(1) == trial) {
                            decided = true;
                            int v = r.getInt(3);
                            mine = r.wasNull() ? null : v == 1;
                        } else {
                            Double d = RunStore.nullable(r, 2);
                            earlier.add(d == null ? Double.POSITIVE_INFINITY : d);
                        }
                    }
                }
            }
            if (decided) {
                return new Decision(mine == null || mine, earlier, true);
            }
            Boolean promoted = rule == null ? null : rule.test(dev, earlier);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO sweep_rungs (sweep_id, trial, rung, step, dev,"
                    + " promoted, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, sweepId);
                p.setInt(2, trial);
                p.setInt(3, rung);
                p.setLong(4, step);
                if (Double.isFinite(dev)) {
                    p.setDouble(5, dev);
                } else {
                    p.setNull(5, java.sql.Types.DOUBLE);
                }
                if (promoted == null) {
                    p.setNull(6, java.sql.Types.INTEGER);
                } else {
                    p.setInt(6, promoted ? 1 : 0);
                }
                p.setString(7, Instant.now().toString());
                p.executeUpdate();
            }
            return new Decision(promoted == null || promoted, earlier, false);
        });
    }

    /** Every recorded rung of the sweep, by trial then rung. */
    public List<Row> rows(String sweepId) {
        return store.transaction(c -> {
            List<Row> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT trial, rung, step, dev, promoted, decided_at FROM"
                    + " sweep_rungs WHERE sweep_id = ? ORDER BY trial, rung")) {
                p.setString(1, sweepId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        int v = r.getInt(5);
                        Boolean promoted = r.wasNull() ? null : v == 1;
                        out.add(new Row(r.getInt(1), r.getInt(2), r.getLong(3), RunStore.nullable(r, 4), promoted,
                                r.getString(6)));
                    }
                }
            }
            return out;
        });
    }

    public void delete(String sweepId) {
        store.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM sweep_rungs WHERE sweep_id = ?")) {
                p.setString(1, sweepId);
                p.executeUpdate();
            }
            return null;
        });
    }
}
