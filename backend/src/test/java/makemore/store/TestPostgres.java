package makemore.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL 15 from Debian's server packages, started in a temporary folder on a free port and stopped
 * on close. A machine without the server fails the tests that need it, saying how to get it (./run-tests installs it).
 */
public final class TestPostgres implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String RUNUSER = "/usr/sbin/runuser";

    private final Path data;
    private final int port;
    public final String url;

    private TestPostgres(Path data, int port, String url) {
        this.data = data;
        this.port = port;
        this.url = url;
    }

    /** Starts a server under {@code dir} (which it hands to the postgres user); fails the test where there is none. */
    public static TestPostgres start(Path dir) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(Path.of(RUNUSER)),
                "no PostgreSQL 15 server at " + BIN + ": install Debian's postgresql-15 (./run-tests does)");
        Path data = dir.resolve("pg");
        Files.createDirectories(data);
        sh("chown", "-R", "postgres", dir.toString());
        sh("chmod", "755", dir.toString());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        sh(RUNUSER, "-u", "postgres", "--", BIN.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust",
                "-U", "lab");
        TestPostgres pg = new TestPostgres(data, port, "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=lab");
        pg.startServer();
        return pg;
    }

    /** Starts the server again on the same data and port (after {@link #stopServer}). */
    public void startServer() throws IOException, InterruptedException {
        sh(RUNUSER, "-u", "postgres", "--", BIN.resolve("pg_ctl").toString(), "-D", data.toString(),
                "-o", "-p " + port + " -k " + data + " -h 127.0.0.1", "-w", "-l", data.resolve("log").toString(), "start");
    }

    /** Stops the real server (fast shutdown: open connections are cut), as an outage would. */
    public void stopServer() throws IOException, InterruptedException {
        sh(RUNUSER, "-u", "postgres", "--", BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast",
                "-w", "stop");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (Files.exists(data.resolve("postmaster.pid"))) { // a test may have left it stopped
            sh(RUNUSER, "-u", "postgres", "--", BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m",
                    "immediate", "stop");
        }
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
