package makemore.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import makemore.config.ConfigException;
import makemore.config.RunConfig;
import makemore.event.RunStatus;

/**
 * Sweeps next to the runs, on the same database and connection as {@link RunStore} (one transaction for a sweep
 * and all its runs, so nothing is half-created). Tables: {@code sweeps} (definition, base config, status, hash,
 * the first test score) and {@code sweep_points} ((sweep, point) -> run: the primary key is what lets N processes
 * fill one sweep without duplicates). A run's sweep is found through {@code sweep_points}.
 *
 * <p>SQLite note: every transaction here that writes starts with a write, so it takes the write lock (waiting
 * up to busy_timeout) before it reads; a read-then-write transaction could fail at once under WAL when another
 * process wrote in between.
 */
public final class SweepStore {
    private final RunStore store;

    public record Sweep(String id, String created, String hash, String definition, String status, int points,
            String testRun, Double testLoss, String testScoredAt) {}

    /** A point that has a run, with the run's state and its latest train and dev evaluations. */
    public record PointRun(int point, String run, RunStatus status, String message, long step, Double bestDev,
            Double train, Double dev, Double test) {}

    /** A run to insert as queued with its point. */
    public record NewRun(int point, String id, RunConfig config) {}

    /**
     * What a process that asked for a point got: the run to train, or the point's finished run, or (with
     * {@code heldBy}) nothing, because another process holds a live lease on it until {@code heldUntil} (epoch ms).
     */
    public record Claim(String run, boolean alreadyFinished, String replaced, String heldBy, long heldUntil) {
        Claim(String run, boolean alreadyFinished, String replaced) {
            this(run, alreadyFinished, replaced, null, 0);
        }
    }

    public SweepStore(RunStore store) {
        this.store = store;
        store.transaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS sweeps (id VARCHAR(32) PRIMARY KEY, created VARCHAR(40) NOT NULL,"
                        + " hash VARCHAR(64) NOT NULL, definition TEXT NOT NULL, base TEXT NOT NULL,"
                        + " status VARCHAR(20) NOT NULL, points INTEGER NOT NULL, test_run VARCHAR(32),"
                        + " test_loss DOUBLE PRECISION, test_scored_at VARCHAR(40))");
                s.execute("CREATE TABLE IF NOT EXISTS sweep_points (sweep_id VARCHAR(32) NOT NULL, point INTEGER NOT NULL,"
                        + " run_id VARCHAR(32) NOT NULL, PRIMARY KEY (sweep_id, point))");
                s.execute("CREATE INDEX IF NOT EXISTS sweep_points_run ON sweep_points (run_id)");
                addColumn(c, s, "lease_owner", "VARCHAR(100)");
                addColumn(c, s, "lease_until", "BIGINT");
            }
            return null;
        });
    }

    /** A column a database made before it existed lacks (portable: no ADD COLUMN IF NOT EXISTS). */
    private static void addColumn(java.sql.Connection c, Statement s, String column, String type)
            throws java.sql.SQLException {
        try (ResultSet r = c.getMetaData().getColumns(null, null, "sweep_points", column)) {
            if (r.next()) {
                return;
            }
        }
        s.execute("ALTER TABLE sweep_points ADD COLUMN " + column + " " + type);
    }

    /** A new sweep and all its runs (queued), in one transaction. */
    public void create(String id, String created, String hash, String definition, String base, int points,
            List<NewRun> runs) {
        store.transaction(c -> {
            insertSweep(c, id, created, hash, definition, base, points, false);
            for (NewRun r : runs) {
                insertRun(c, r.id(), created, r.config());
                link(c, id, r.point(), r.id());
            }
            return null;
        });
    }

    /**
     * Creates the sweep if no process has yet (idempotent across processes); a sweep of that id with another
     * definition is refused, so pods of two different jobs never mix points.
     */
    public void ensure(String id, String hash, String definition, String base, int points) {
        store.transaction(c -> {
            insertSweep(c, id, Instant.now().toString(), hash, definition, base, points, true);
            try (PreparedStatement p = c.prepareStatement("SELECT hash FROM sweeps WHERE id = ?")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    if (!r.getString(1).equals(hash)) {
                        throw new ConfigException("sweep-id", "sweep " + id + " already exists with another definition"
                                + " (hash " + r.getString(1).substring(0, 12) + ", this one " + hash.substring(0, 12)
                                + "); use another --sweep-id or the same flags");
                    }
                }
            }
            return null;
        });
    }

    /**
     * Gives point {@code point} a run to train, leased to {@code owner} for {@code leaseMs}: a new queued run,
     * unless the point's run already finished (then that one, nothing is trained twice) or another process holds a
     * live lease on it (then nothing: the claim says who, and until when). A run whose lease has expired was left by
     * a process that stopped, and is replaced (its rows deleted). The holder keeps its lease with
     * {@link #heartbeat}.
     */
    public Claim claim(String sweepId, int point, String newRunId, RunConfig cfg, String owner, long leaseMs) {
        return store.transaction(c -> {
            touch(c, sweepId); // take the write lock first (see the class comment)
            String existing = null;
            String holder = null;
            long until = 0;
            try (PreparedStatement p = c.prepareStatement("SELECT run_id, lease_owner, lease_until FROM sweep_points"
                    + " WHERE sweep_id = ? AND point = ?")) {
                p.setString(1, sweepId);
                p.setInt(2, point);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        existing = r.getString(1);
                        holder = r.getString(2);
                        until = r.getLong(3);
                    }
                }
            }
            long now = System.currentTimeMillis();
            if (existing != null) {
                String status = runStatus(c, existing);
                if (RunStatus.FINISHED.label().equals(status) || RunStatus.PRUNED.label().equals(status)) {
                    return new Claim(existing, true, null);
                }
                boolean ended = status != null && RunStatus.parse(status).terminal();
                if (!ended && holder != null && until > now) {
                    return new Claim(null, false, null, holder, until);
                }
                deleteRunRows(c, List.of(existing));
                try (PreparedStatement p = c.prepareStatement("DELETE FROM sweep_points WHERE sweep_id = ? AND point = ?")) {
                    p.setString(1, sweepId);
                    p.setInt(2, point);
                    p.executeUpdate();
                }
            }
            insertRun(c, newRunId, Instant.now().toString(), cfg);
            link(c, sweepId, point, newRunId);
            try (PreparedStatement p = c.prepareStatement("UPDATE sweep_points SET lease_owner = ?, lease_until = ?"
                    + " WHERE sweep_id = ? AND point = ?")) {
                p.setString(1, owner);
                p.setLong(2, now + leaseMs);
                p.setString(3, sweepId);
                p.setInt(4, point);
                p.executeUpdate();
            }
            return new Claim(newRunId, false, existing);
        });
    }

    /** Extends {@code owner}'s lease on a point it trains; false when it holds it no more. */
    public boolean heartbeat(String sweepId, int point, String owner, long leaseMs) {
        return store.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE sweep_points SET lease_until = ? WHERE sweep_id = ?"
                    + " AND point = ? AND lease_owner = ?")) {
                p.setLong(1, System.currentTimeMillis() + leaseMs);
                p.setString(2, sweepId);
                p.setInt(3, point);
                p.setString(4, owner);
                return p.executeUpdate() == 1;
            }
        });
    }

    public Optional<Sweep> get(String id) {
        return store.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id, created, hash, definition, status, points, test_run,"
                    + " test_loss, test_scored_at FROM sweeps WHERE id = ?")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(sweep(r)) : Optional.<Sweep>empty();
                }
            }
        });
    }

    /** Every sweep, newest first, with how many of its points are in each run status. */
    public List<Map.Entry<Sweep, Map<String, Integer>>> list() {
        return store.transaction(c -> {
            Map<String, Map<String, Integer>> counts = new HashMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT sp.sweep_id, r.status, COUNT(*) FROM sweep_points sp"
                    + " JOIN runs r ON r.id = sp.run_id GROUP BY sp.sweep_id, r.status");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    counts.computeIfAbsent(r.getString(1), k -> new HashMap<>()).put(r.getString(2), r.getInt(3));
                }
            }
            List<Map.Entry<Sweep, Map<String, Integer>>> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id, created, hash, definition, status, points, test_run,"
                    + " test_loss, test_scored_at FROM sweeps ORDER BY created DESC, id DESC");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    Sweep s = sweep(r);
                    out.add(Map.entry(s, counts.getOrDefault(s.id(), Map.of())));
                }
            }
            return out;
        });
    }

    /** The points that have runs, by point index, with each run's latest train and dev evaluation. */
    public List<PointRun> points(String sweepId) {
        return store.transaction(c -> {
            Map<String, Double[]> latest = new HashMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT m.run_id, m.kind, m.value FROM metrics m"
                    + " JOIN (SELECT run_id, kind, MAX(step) AS s FROM metrics WHERE kind IN ('train', 'dev') AND run_id IN"
                    + " (SELECT run_id FROM sweep_points WHERE sweep_id = ?) GROUP BY run_id, kind) last"
                    + " ON last.run_id = m.run_id AND last.kind = m.kind AND last.s = m.step")) {
                p.setString(1, sweepId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        Double v = RunStore.nullable(r, 3);
                        latest.computeIfAbsent(r.getString(1), k -> new Double[2])[r.getString(2).equals("train") ? 0 : 1] =
                                v == null ? Double.POSITIVE_INFINITY : v;
                    }
                }
            }
            List<PointRun> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT sp.point, r.id, r.status, r.message, r.step, r.best_dev,"
                    + " r.test_loss FROM sweep_points sp JOIN runs r ON r.id = sp.run_id WHERE sp.sweep_id = ?"
                    + " ORDER BY sp.point")) {
                p.setString(1, sweepId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        Double[] l = latest.getOrDefault(r.getString(2), new Double[2]);
                        out.add(new PointRun(r.getInt(1), r.getString(2), RunStatus.parse(r.getString(3)),
                                r.getString(4), r.getLong(5), RunStore.nullable(r, 6), l[0], l[1],
                                RunStore.nullable(r, 7)));
                    }
                }
            }
            return out;
        });
    }

    /** Dev NLL at exactly {@code step} of this sweep's finished points: what the median pruner compares with. */
    public List<Double> finishedDevs(String sweepId, long step) {
        return store.transaction(c -> {
            List<Double> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT m.value FROM metrics m JOIN sweep_points sp"
                    + " ON sp.run_id = m.run_id JOIN runs r ON r.id = m.run_id WHERE sp.sweep_id = ? AND m.kind = 'dev'"
                    + " AND m.step = ? AND r.status = ? AND m.value IS NOT NULL")) {
                p.setString(1, sweepId);
                p.setLong(2, step);
                p.setString(3, RunStatus.FINISHED.label());
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getDouble(1));
                    }
                }
            }
            return out;
        });
    }

    /** The sweep a run belongs to, or null. */
    public String sweepOf(String runId) {
        return store.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT sweep_id FROM sweep_points WHERE run_id = ?")) {
                p.setString(1, runId);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? r.getString(1) : null;
                }
            }
        });
    }

    public void setStatus(String id, String status) {
        store.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE sweeps SET status = ? WHERE id = ?")) {
                p.setString(1, status);
                p.setString(2, id);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** Keeps the first test score only; returns true when this one was stored. */
    public boolean setTest(String id, String run, double loss) {
        return store.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE sweeps SET test_run = ?, test_loss = ?,"
                    + " test_scored_at = ? WHERE id = ? AND test_run IS NULL")) {
                p.setString(1, run);
                p.setDouble(2, loss);
                p.setString(3, Instant.now().toString());
                p.setString(4, id);
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Removes the sweep and its point links (its runs are deleted by the caller first, through RunService). */
    public boolean delete(String id) {
        return store.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM sweep_points WHERE sweep_id = ?")) {
                p.setString(1, id);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM sweeps WHERE id = ?")) {
                p.setString(1, id);
                return p.executeUpdate() == 1;
            }
        });
    }

    private static Sweep sweep(ResultSet r) throws SQLException {
        return new Sweep(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getInt(6),
                r.getString(7), RunStore.nullable(r, 8), r.getString(9));
    }

    private static void insertSweep(Connection c, String id, String created, String hash, String definition,
            String base, int points, boolean ifAbsent) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO sweeps (id, created, hash, definition, base, status,"
                + " points) VALUES (?, ?, ?, ?, ?, 'running', ?)" + (ifAbsent ? " ON CONFLICT (id) DO NOTHING" : ""))) {
            p.setString(1, id);
            p.setString(2, created);
            p.setString(3, hash);
            p.setString(4, definition);
            p.setString(5, base);
            p.setInt(6, points);
            p.executeUpdate();
        }
    }

    private static void touch(Connection c, String sweepId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE sweeps SET points = points WHERE id = ?")) {
            p.setString(1, sweepId);
            p.executeUpdate();
        }
    }

    private static void link(Connection c, String sweepId, int point, String runId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO sweep_points (sweep_id, point, run_id) VALUES (?, ?, ?)")) {
            p.setString(1, sweepId);
            p.setInt(2, point);
            p.setString(3, runId);
            p.executeUpdate();
        }
    }

    /** A queued run's row, inside this transaction. */
    private static void insertRun(Connection c, String id, String created, RunConfig cfg) throws SQLException {
        RunStore.insertRow(c, id, created, cfg, RunStatus.QUEUED, RunStatus.WAITING);
    }

    private static String runStatus(Connection c, String runId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT status FROM runs WHERE id = ?")) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    /** Mirrors {@link RunStore#delete} for a run left unfinished by a dead process, inside this transaction. */
    private static void deleteRunRows(Connection c, List<String> ids) throws SQLException {
        for (String id : ids) {
            for (String table : List.of("metrics", "snapshots", "lr_changes")) {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE run_id = ?")) {
                    p.setString(1, id);
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM runs WHERE id = ?")) {
                p.setString(1, id);
                p.executeUpdate();
            }
        }
    }
}
