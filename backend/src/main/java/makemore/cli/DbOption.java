package makemore.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --db}: the run store a command works on, the same for every command that takes it (a picocli mixin). */
final class DbOption {
    @Option(names = "--db", paramLabel = "DB", description = "the lab's database: a SQLite file or a JDBC URL"
            + " (MAKEMORE_DB; default data/lab/lab.db, the lab's); a PostgreSQL password comes from MAKEMORE_DB_PASSWORD")
    String db;

    /** The JDBC URL or file, with a password from the environment where one belongs. */
    String url(Map<String, String> env) {
        return Database.url(db, env);
    }
}
