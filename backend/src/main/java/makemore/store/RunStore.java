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
import makemore.config.RunConfig;
import makemore.event.RunEvent;
import makemore.event.RunStatus;

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
                // added after the first databases: IF NOT EXISTS also brings an older one up to date
                s.execute("CREATE TABLE IF NOT EXISTS dev_names (run_id VARCHAR(32) NOT NULL, step BIGINT NOT NULL,"
                        + " body TEXT NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS dev_names_run ON dev_names (run_id, step)");
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
        if (db == null) {
            return; // already dropped: conn() reconnects on the next call
        }
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
        db = null;
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
        try {
            insertRow(conn(), id, created, cfg, status, message);
            db.commit();
        } catch (SQLException e) {
            recover();
            throw fail(e);
        }
    }

    /** A new run's row, inside the caller's transaction (a sweep inserts its points' runs with their claims). */
    static void insertRow(Connection c, String id, String created, RunConfig cfg, RunStatus status, String message)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO runs (id, created, dataset, model, config, status,"
                + " message, step) VALUES (?, ?, ?, ?, ?, ?, ?, 0)")) {
            p.setString(1, id);
            p.setString(2, created);
            p.setString(3, cfg.dataset());
            p.setString(4, cfg.model());
            p.setString(5, cfg.toJson());
            p.setString(6, status.label());
            p.setString(7, message);
            p.executeUpdate();
        }
    }

    /** Writes a batch of one run's events in one transaction. */
    public synchronized void append(String id, List<RunEvent> events) {
        try {
            RunEventWriter.write(conn(), id, events);
            db.commit();
        } catch (SQLException | JsonProcessingException e) {
            recover();
            throw new StoreException("cannot store run " + id + ": " + e.getMessage(), e);
        }
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
            for (String table : List.of("metrics", "snapshots", "lr_changes", "health", "dev_names")) {
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
            Optional<RunRecord> out = new RunRecordReader(conn()).read(id);
            db.commit();
            return out;
        } catch (SQLException | JsonProcessingException e) {
            recover();
            throw new StoreException("cannot read run " + id + ": " + e.getMessage(), e);
        }
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
