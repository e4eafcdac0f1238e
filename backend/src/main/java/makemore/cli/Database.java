package makemore.cli;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.function.Supplier;
import makemore.lab.Checkpoints;
import makemore.store.RunStore;

/** The run store a command works on: the lab's own by default, or --db (a SQLite file or a JDBC URL). */
final class Database {
    private Database() {}

    /** The store could not be opened: exit 1, its reason with any password masked. */
    static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }

    /** --db, else MAKEMORE_DB, else lab.db in the lab's data directory; a password from MAKEMORE_DB_PASSWORD. */
    static String url(String flag, Map<String, String> env) {
        String db = flag != null ? flag : env.getOrDefault("MAKEMORE_DB",
                Path.of(env.getOrDefault("MAKEMORE_DATA_DIR", "data/lab")).resolve("lab.db").toString());
        return withPassword(db, env);
    }

    /**
     * A PostgreSQL URL without a password takes it from MAKEMORE_DB_PASSWORD (in a cluster: from a Secret), so the
     * password never appears on a command line.
     */
    static String withPassword(String db, Map<String, String> env) {
        String pw = env.get("MAKEMORE_DB_PASSWORD");
        if (db.startsWith("jdbc:postgresql:") && pw != null && !pw.isEmpty() && !db.contains("password=")) {
            return db + (db.contains("?") ? "&" : "?") + "password=" + URLEncoder.encode(pw, StandardCharsets.UTF_8);
        }
        return db;
    }

    static String redact(String text) {
        return text.replaceAll("(?i)(password=)(?!\\*\\*\\*)[^&\\s]*", "$1***"); // masked once, not twice
    }

    /** Opens (creating a SQLite file's folder); an unreachable database is {@link Unreachable}. */
    static RunStore open(String url) {
        try {
            if (!url.startsWith("jdbc:") && Path.of(url).getParent() != null) {
                Files.createDirectories(Path.of(url).getParent());
            }
            return retrying(() -> new RunStore(url));
        } catch (RuntimeException | IOException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new Unreachable("cannot reach the database " + redact(url) + ": " + redact(String.valueOf(
                    root.getMessage())));
        }
    }

    /**
     * Pods of one job start together on a fresh database: PostgreSQL may then refuse all but one concurrent
     * CREATE TABLE IF NOT EXISTS with a duplicate-key error, and SQLite processes opening one new file together may
     * meet SQLITE_BUSY. The tables exist after that, so opening again works.
     */
    static <T> T retrying(Supplier<T> open) {
        for (int attempt = 1; ; attempt++) {
            try {
                return open.get();
            } catch (RuntimeException e) {
                String m = String.valueOf(e.getMessage());
                if (attempt >= 5 || !(m.contains("duplicate key") || m.contains("already exists") || m.contains("SQLITE_BUSY")
                        || m.contains("database is locked"))) {
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt + new SecureRandom().nextInt(100));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Where runs' best-dev parameters are: {@code --params-dir}, else the params folder of the data directory a
     * lab on this database would use ({@code MAKEMORE_DATA_DIR}, else the SQLite file's folder, as the lab keeps
     * lab.db in its data directory, else data/lab).
     */
    static Path paramsDir(String flag, String url, Map<String, String> env) {
        if (flag != null) {
            return Path.of(flag);
        }
        if (env.get("MAKEMORE_DATA_DIR") != null) {
            return Checkpoints.dir(Path.of(env.get("MAKEMORE_DATA_DIR")));
        }
        String file = url.startsWith("jdbc:sqlite:") ? url.substring("jdbc:sqlite:".length()).split("\\?", 2)[0]
                : url.startsWith("jdbc:") ? null : url;
        if (file == null || file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return Checkpoints.dir(Path.of("data/lab"));
        }
        return Checkpoints.dir(Path.of(file).toAbsolutePath().getParent());
    }
}
