package makemore.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * Runs' best-dev parameters kept in the run database itself, so a lab on the same database (SQLite file or
 * PostgreSQL) samples, explains and test-scores runs that {@code ./lab sweep} trained on other machines, with no
 * shared folder. A run's parameter file stays as the working copy and a cache; the row is written once, when the
 * run ends.
 */
public final class ParamStore {
    private final RunStore store;

    public ParamStore(RunStore store) {
        this.store = store;
        store.transaction(c -> {
            // BYTEA is PostgreSQL's binary type; SQLite takes BLOB (and any other name)
            String binary = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                    .contains("postgres") ? "BYTEA" : "BLOB";
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS run_params (run_id VARCHAR(32) PRIMARY KEY, saved VARCHAR(40)"
                        + " NOT NULL, size BIGINT NOT NULL, body " + binary + " NOT NULL)");
            }
            return null;
        });
    }

    /** Stores (or replaces) run {@code id}'s parameters. */
    public void put(String id, byte[] body) {
        store.transaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM run_params WHERE run_id = ?");
                    PreparedStatement i = c.prepareStatement(
                            "INSERT INTO run_params (run_id, saved, size, body) VALUES (?, ?, ?, ?)")) {
                d.setString(1, id);
                d.executeUpdate();
                i.setString(1, id);
                i.setString(2, Instant.now().toString());
                i.setLong(3, body.length);
                i.setBytes(4, body);
                i.executeUpdate();
            }
            return null;
        });
    }

    public Optional<byte[]> get(String id) {
        return store.transaction(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT body FROM run_params WHERE run_id = ?")) {
                q.setString(1, id);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? Optional.of(r.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    public void delete(String id) {
        store.transaction(c -> {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM run_params WHERE run_id = ?")) {
                d.setString(1, id);
                d.executeUpdate();
            }
            return null;
        });
    }
}
