package makemore.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import makemore.train.RunConfig;
import makemore.train.RunEvent;
import makemore.train.RunStatus;

/**
 * Runs and their history over plain JDBC: SQLite by default (one file, WAL), any JDBC URL otherwise; the SQL is
 * the portable subset (PostgreSQL accepts it as is). One connection, used under this object's lock: writes come
 * batched from {@link StoreWriter}, reads are rare.
 */
public final class RunStore implements AutoCloseable {
    public static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final String url;
    private final String where; // the file or URL, for messages
    private Connection db;
    private volatile long maxPagesForTest; // > 0: SQLite's max_page_count, a real "disk full" for fault tests

    /**
     * Opens (creating if needed) and proves it can write: a read-only or full location fails here, with a
     * {@link StoreException} naming it, rather than at the first run.
     */
    public RunStore(String urlOrFile) {
        url = urlOrFile.startsWith("jdbc:") ? urlOrFile : "jdbc:sqlite:" + urlOrFile;
        where = urlOrFile;
        try {
            connect();
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS runs (id VARCHAR(32) PRIMARY KEY, created VARCHAR(40) NOT NULL,"
                        + " dataset VARCHAR(300) NOT NULL, model VARCHAR(20) NOT NULL, config TEXT NOT NULL,"
                        + " status VARCHAR(20) NOT NULL, message TEXT, step BIGINT NOT NULL DEFAULT 0,"
                        + " steps_per_sec DOUBLE PRECISION, best_dev DOUBLE PRECISION, test_loss DOUBLE PRECISION,"
                        + " test_scored_at VARCHAR(40))");
                s.execute("CREATE TABLE IF NOT EXISTS metrics (run_id VARCHAR(32) NOT NULL, step BIGINT NOT NULL,"
                        + " kind VARCHAR(10) NOT NULL, value DOUBLE PRECISION, lr DOUBLE PRECISION)");
                s.execute("CREATE INDEX IF NOT EXISTS metrics_run ON metrics (run_id, step)");
                s.execute("CREATE TABLE IF NOT EXISTS snapshots (run_id VARCHAR(32) NOT NULL, kind VARCHAR(10) NOT NULL,"
                        + " step BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (run_id, kind))");
                s.execute("CREATE TABLE IF NOT EXISTS lr_changes (run_id VARCHAR(32) NOT NULL, step BIGINT NOT NULL,"
                        + " lr DOUBLE PRECISION NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS health (run_id VARCHAR(32) NOT NULL, step BIGINT NOT NULL,"
                        + " body TEXT NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS health_run ON health (run_id, step)");
                addColumn(s, "name", "VARCHAR(200)");
                addColumn(s, "note", "TEXT");
                // the write probe: CREATE ... IF NOT EXISTS writes nothing once the tables exist
                s.execute("CREATE TABLE IF NOT EXISTS lab_meta (name VARCHAR(40) PRIMARY KEY, value TEXT)");
                s.execute("DELETE FROM lab_meta WHERE name = 'opened'");
                s.execute("INSERT INTO lab_meta (name, value) VALUES ('opened', '" + Instant.now() + "')");
            }
            db.commit();
        } catch (SQLException e) {
            close();
            throw new StoreException("cannot open the run database " + where + " for writing: " + e.getMessage(), e);
        }
    }

    private void connect() throws SQLException {
        db = DriverManager.getConnection(url);
        if (url.startsWith("jdbc:sqlite:")) {
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout=5000"); // first: switching to WAL also waits for other processes
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                if (maxPagesForTest > 0) {
                    s.execute("PRAGMA max_page_count=" + maxPagesForTest);
                }
            }
        }
        db.setAutoCommit(false);
    }

    /**
     * After a failed write: roll back, and if the connection is left in a state it cannot leave by itself (SQLite
     * after a failed COMMIT on a full disk answers "cannot commit - no transaction is active" for ever), reopen it.
     * Nothing committed is touched; the next write starts clean.
     */
    private void recover() {
        try {
            db.rollback();
            try (Statement s = db.createStatement()) {
                s.execute("SELECT 1"); // proves the connection still answers
            }
            db.commit();
            return;
        } catch (SQLException | RuntimeException ignored) {
            // fall through: reopen
        }
        try {
            db.close();
        } catch (SQLException ignored) {
            // it is being replaced
        }
        try {
            connect();
        } catch (SQLException e) {
            db = null; // the next call tries again
        }
    }

    private Connection conn() throws SQLException {
        if (db == null) {
            connect();
        }
        return db;
    }

    /**
     * Test hook: caps the SQLite file at {@code pages} pages (0 lifts the cap), so writes fail with SQLite's own
     * "database or disk is full" exactly as on a full disk. Returns the pages in use now.
     */
    public synchronized long limitPagesForTest(long pages) {
        maxPagesForTest = pages;
        try (Statement s = conn().createStatement()) {
            s.execute("PRAGMA max_page_count=" + (pages > 0 ? pages : 1073741823));
            try (ResultSet r = s.executeQuery("PRAGMA page_count")) {
                r.next();
                long n = r.getLong(1);
                db.commit();
                return n;
            }
        } catch (SQLException e) {
            recover();
            throw fail(e);
        }
    }

    /** Adds a column to runs in a database made before it existed (portable: no ADD COLUMN IF NOT EXISTS). */
    private void addColumn(Statement s, String column, String type) throws SQLException {
        try (ResultSet r = db.getMetaData().getColumns(null, null, "runs", column)) {
            if (r.next()) {
                return;
            }
        }
        s.execute("ALTER TABLE runs ADD COLUMN " + column + " " + type);
    }

    /** Sets a run's name and note (null clears); false if there is no such run. */
    public synchronized boolean setLabels(String id, RunRecord.Labels labels) {
        try (PreparedStatement p = conn().prepareStatement("UPDATE runs SET name = ?, note = ? WHERE id = ?")) {
            p.setString(1, labels.name());
            p.setString(2, labels.note());
            p.setString(3, id);
            int n = p.executeUpdate();
            db.commit();
            return n > 0;
        } catch (SQLException e) {
            recover();
            throw fail(e);
        }
    }

    public synchronized Optional<RunRecord.Labels> labels(String id) {
        try (PreparedStatement p = conn().prepareStatement("SELECT name, note FROM runs WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                Optional<RunRecord.Labels> out = r.next() ? Optional.of(new RunRecord.Labels(r.getString(1),
                        r.getString(2))) : Optional.empty();
                db.commit();
                return out;
            }
        } catch (SQLException e) {
            recover();
            throw fail(e);
        }
    }

    /** Runs a dead process left running or queued: they can never finish, say so. Returns how many. */
    public synchronized int markInterrupted() {
        try (PreparedStatement p = conn().prepareStatement("UPDATE runs SET status = ?, message = ? WHERE status IN (?, ?)")) {
            p.setString(1, RunStatus.INTERRUPTED.label());
            p.setString(2, "the lab stopped while this run was training or queued; re-run it to finish");
            p.setString(3, RunStatus.RUNNING.label());
            p.setString(4, RunStatus.QUEUED.label());
            int n = p.executeUpdate();
            db.commit();
            return n;
        } catch (SQLException e) {
            recover();
            throw fail(e);
        }
    }

    public synchronized void insert(String id, String created, RunConfig cfg, RunStatus status, String message) {
        try (PreparedStatement p = conn().prepareStatement("INSERT INTO runs (id, created, dataset, model, config, status,"
                + " message, step) VALUES (?, ?, ?, ?, ?, ?, ?, 0)")) {
            p.setString(1, id);
            p.setString(2, created);
            p.setString(3, cfg.dataset());
            p.setString(4, cfg.model());
            p.setString(5, cfg.toJson());
            p.setString(6, status.label());
            p.setString(7, message);
            p.executeUpdate();
            db.commit();
        } catch (SQLException e) {
            recover();
            throw fail(e);
        }
    }

    /** Writes a batch of one run's events in one transaction. */
    public synchronized void append(String id, List<RunEvent> events) {
        try (PreparedStatement metric = conn().prepareStatement("INSERT INTO metrics (run_id, step, kind, value, lr) VALUES (?, ?, ?, ?, ?)");
                PreparedStatement snap = conn().prepareStatement("INSERT INTO snapshots (run_id, kind, step, body) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (run_id, kind) DO UPDATE SET step = excluded.step, body = excluded.body");
                PreparedStatement lr = conn().prepareStatement("INSERT INTO lr_changes (run_id, step, lr) VALUES (?, ?, ?)");
                PreparedStatement health = conn().prepareStatement("INSERT INTO health (run_id, step, body) VALUES (?, ?, ?)");
                PreparedStatement status = conn().prepareStatement("UPDATE runs SET status = ?, message = ?, step = ? WHERE id = ?");
                PreparedStatement progress = conn().prepareStatement("UPDATE runs SET step = ?, steps_per_sec = ? WHERE id = ?");
                PreparedStatement dev = conn().prepareStatement("UPDATE runs SET best_dev = ? WHERE id = ? AND (best_dev IS NULL OR best_dev > ?)")) {
            RunEvent.Progress lastProgress = null;
            for (RunEvent e : events) {
                if (e instanceof RunEvent.Progress p) {
                    addMetric(metric, id, p.step(), "progress", p.trainLoss(), p.lr());
                    if (Double.isFinite(p.penalty())) {
                        addMetric(metric, id, p.step(), "penalty", p.penalty(), null);
                    }
                    lastProgress = p;
                } else if (e instanceof RunEvent.Eval ev) {
                    addMetric(metric, id, ev.step(), ev.split(), ev.loss(), null);
                    if (ev.split().equals("dev") && Double.isFinite(ev.loss())) {
                        dev.setDouble(1, ev.loss());
                        dev.setString(2, id);
                        dev.setDouble(3, ev.loss());
                        dev.addBatch();
                    }
                } else if (e instanceof RunEvent.Samples || e instanceof RunEvent.Embedding) {
                    snap.setString(1, id);
                    snap.setString(2, e.type());
                    snap.setLong(3, e.step());
                    snap.setString(4, JSON.writeValueAsString(e));
                    snap.addBatch();
                } else if (e instanceof RunEvent.Health h) {
                    // the series row without histograms; the latest in full as a snapshot
                    health.setString(1, id);
                    health.setLong(2, h.step());
                    health.setString(3, JSON.writeValueAsString(h.withoutHistograms()));
                    health.addBatch();
                    snap.setString(1, id);
                    snap.setString(2, h.type());
                    snap.setLong(3, h.step());
                    snap.setString(4, JSON.writeValueAsString(h));
                    snap.addBatch();
                } else if (e instanceof RunEvent.LrChange c) {
                    lr.setString(1, id);
                    lr.setLong(2, c.step());
                    lr.setDouble(3, c.lr());
                    lr.addBatch();
                } else if (e instanceof RunEvent.Status s) {
                    status.setString(1, s.status().label());
                    status.setString(2, s.message());
                    status.setLong(3, s.step());
                    status.setString(4, id);
                    status.addBatch();
                }
            }
            if (lastProgress != null) {
                progress.setLong(1, lastProgress.step());
                progress.setDouble(2, lastProgress.stepsPerSec());
                progress.setString(3, id);
                progress.addBatch();
            }
            for (PreparedStatement p : List.of(metric, snap, lr, health, progress, dev, status)) {
                p.executeBatch();
            }
            db.commit();
        } catch (SQLException | JsonProcessingException e) {
            recover();
            throw new StoreException("cannot store run " + id + ": " + e.getMessage(), e);
        }
    }

    private static void addMetric(PreparedStatement p, String id, long step, String kind, double v, Double lr)
            throws SQLException {
        p.setString(1, id);
        p.setLong(2, step);
        p.setString(3, kind);
        // NaN/inf have no portable SQL value: stored as NULL and read back as NaN, or +inf for an eval
        if (Double.isFinite(v)) {
            p.setDouble(4, v);
        } else {
            p.setNull(4, java.sql.Types.DOUBLE);
        }
        if (lr == null) {
            p.setNull(5, java.sql.Types.DOUBLE);
        } else {
            p.setDouble(5, lr);
        }
        p.addBatch();
    }

    /** Stores the run's one test score; false (and nothing changes) if it already has one. */
    public synchronized boolean setTest(String id, double loss) {
        try (PreparedStatement p = conn().prepareStatement("UPDATE runs SET test_loss = ?, test_scored_at = ?"
                + " WHERE id = ? AND test_loss IS NULL")) {
            p.setDouble(1, loss);
            p.setString(2, Instant.now().toString());
            p.setString(3, id);
            int n = p.executeUpdate();
            db.commit();
            return n > 0;
        } catch (SQLException e) {
            recover();
            throw fail(e);
        }
    }

    public synchronized boolean delete(String id) {
        try {
            int n;
            for (String table : List.of("metrics", "snapshots", "lr_changes", "health")) {
                try (PreparedStatement p = conn().prepareStatement("DELETE FROM " + table + " WHERE run_id = ?")) {
                    p.setString(1, id);
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = conn().prepareStatement("DELETE FROM runs WHERE id = ?")) {
                p.setString(1, id);
                n = p.executeUpdate();
            }
            db.commit();
            return n > 0;
        } catch (SQLException e) {
            recover();
            throw fail(e);
        }
    }

    public synchronized List<RunRecord.Summary> list() {
        List<RunRecord.Summary> out = new ArrayList<>();
        try (PreparedStatement p = conn().prepareStatement("SELECT id, created, dataset, model, status, message, step,"
                + " best_dev, test_loss, name, note FROM runs ORDER BY created DESC, id DESC");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(new RunRecord.Summary(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        RunStatus.parse(r.getString(5)), r.getString(6), r.getLong(7), nullable(r, 8), nullable(r, 9),
                        r.getString(10), r.getString(11)));
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            recover();
            throw fail(e);
        }
    }

    public synchronized Optional<RunRecord> get(String id) {
        try {
            RunRecord base;
            try (PreparedStatement p = conn().prepareStatement("SELECT created, config, status, message, step, steps_per_sec,"
                    + " best_dev, test_loss, test_scored_at, name, note FROM runs WHERE id = ?")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        db.commit();
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
            java.util.Map<Long, Double> penalties = new java.util.HashMap<>();
            try (PreparedStatement p = conn().prepareStatement("SELECT step, kind, value, lr FROM metrics WHERE run_id = ?"
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
            try (PreparedStatement p = conn().prepareStatement("SELECT kind, body FROM snapshots WHERE run_id = ?")) {
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
            try (PreparedStatement p = conn().prepareStatement("SELECT step, lr FROM lr_changes WHERE run_id = ? ORDER BY step")) {
                p.setString(1, id);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        changes.add(new RunEvent.LrChange(r.getLong(1), r.getDouble(2)));
                    }
                }
            }
            db.commit();
            return Optional.of(new RunRecord(id, base.created(), base.config(), base.status(), base.message(),
                    base.step(), base.stepsPerSec(), base.bestDev(), base.test(), progress, evals, samples, embedding,
                    changes, base.name(), base.note(), health(id)));
        } catch (SQLException | JsonProcessingException e) {
            recover();
            throw new StoreException("cannot read run " + id + ": " + e.getMessage(), e);
        }
    }

    /** Work on this store's connection; see {@link #transaction}. */
    /** The run's layer health: the series without histograms, the latest evaluation in full; null if none. */
    private RunRecord.HealthHistory health(String id) throws SQLException, JsonProcessingException {
        List<RunEvent.Health> series = new ArrayList<>();
        try (PreparedStatement p = conn().prepareStatement("SELECT body FROM health WHERE run_id = ? ORDER BY step")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    series.add(JSON.readValue(r.getString(1), RunEvent.Health.class));
                }
            }
        }
        RunEvent.Health latest = null;
        try (PreparedStatement p = conn().prepareStatement("SELECT body FROM snapshots WHERE run_id = ? AND kind = ?")) {
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

    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on this store's connection, under this store's lock, so other tables
     * on the same database (SweepStore's) commit atomically with run rows. Rolled back on any failure.
     */
    public synchronized <T> T transaction(Work<T> work) {
        try {
            T t = work.run(conn());
            db.commit();
            return t;
        } catch (SQLException | RuntimeException e) {
            recover();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw fail((SQLException) e);
        }
    }

    static Double nullable(ResultSet r, int col) throws SQLException {
        double v = r.getDouble(col);
        return r.wasNull() ? null : v;
    }

    private static StoreException fail(SQLException e) {
        return new StoreException("run database error: " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            if (db != null) {
                db.close();
            }
        } catch (SQLException ignored) {
            // closing at shutdown: nothing left to save
        }
    }
}
