package makemore.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import makemore.web.LabOptions;
import makemore.web.LabServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./lab serve} (the default command): the lab's server and page, until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Starts the lab: the page and its API at http://HOST:PORT/ (the default command).",
            "Each option may also come from the environment variable named in its help; the flag wins."})
final class ServeCommand implements Callable<Integer> {
    private final LabCli.Io io;

    @Option(names = "--host", paramLabel = "HOST",
            description = "address to listen on (MAKEMORE_HOST; default 127.0.0.1); any other than loopback needs a token")
    String host;

    @Option(names = "--port", paramLabel = "PORT",
            description = "port in [0, 65535], 0 picks a free one (MAKEMORE_PORT; default 7070)")
    Integer port;

    @Option(names = "--db", paramLabel = "DB",
            description = "a SQLite file or a JDBC URL (MAKEMORE_DB; default DATA_DIR/lab.db); a PostgreSQL password"
                    + " comes from MAKEMORE_DB_PASSWORD")
    String db;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "where runs' parameters and uploaded datasets live (MAKEMORE_DATA_DIR; default data/lab)")
    String dataDir;

    @Option(names = "--frontend-dir", paramLabel = "DIR",
            description = "serve the page from this folder instead of the copy inside the jar (MAKEMORE_FRONTEND_DIR)")
    String frontendDir;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "every request must carry it: 16-200 characters of A-Z a-z 0-9 . _ ~ - (MAKEMORE_TOKEN)")
    String token;

    @Option(names = "--allow-origin", paramLabel = "ORIGIN",
            description = "another web origin (scheme://host[:port]) allowed to send requests; repeat or separate"
                    + " with commas (MAKEMORE_ALLOW_ORIGIN)")
    List<String> allowOrigins = new ArrayList<>();

    ServeCommand(LabCli.Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws InterruptedException {
        LabOptions o;
        try {
            String given = db != null ? db : io.env().get("MAKEMORE_DB");
            o = LabOptions.resolve(new LabOptions.Flags(host, port, given == null ? null : Database.withPassword(given,
                    io.env()), dataDir, frontendDir, token, allowOrigins), io.env());
        } catch (IllegalArgumentException e) {
            throw new LabCli.UsageException(e.getMessage());
        }
        LabServer s;
        try {
            s = LabServer.start(o);
        } catch (IllegalStateException e) {
            io.err().println("error: " + Database.redact(String.valueOf(e.getMessage()))); // which path, and why
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(s::close, "shutdown"));
        if (!o.loopback()) {
            io.err().println("warning: listening on " + o.host() + ", so other machines can reach this lab;"
                    + " every request needs the token in the URL below");
        }
        String shown = o.host().contains(":") && !o.host().startsWith("[") ? "[" + o.host() + "]" : o.host();
        io.out().println("Makemore Lab: http://" + shown + ":" + s.port() + "/"
                + (s.token() != null ? "?token=" + s.token() : "") + "  (runs in " + Database.redact(o.db()) + ")");
        Thread.currentThread().join(); // until the process is stopped; the hook closes the lab
        return 0;
    }
}
