package makemore.web;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the lab listens and keeps its data. {@code port} 0 picks a free port; {@code db} is a file or a JDBC URL;
 * {@code frontendDir} serves the page from a folder (development) instead of the copy inside the jar.
 * {@code token}: when set, every request must carry it (the start-up URL's {@code ?token=}, then a cookie); one is
 * made up when the host is not loopback. {@code allowOrigins}: other web origins allowed to send requests.
 */
public record LabOptions(String host, int port, String db, Path dataDir, Path frontendDir, String token,
        List<String> allowOrigins) {

    public LabOptions {
        allowOrigins = List.copyOf(allowOrigins);
    }

    public LabOptions(String host, int port, String db, Path dataDir, Path frontendDir) {
        this(host, port, db, dataDir, frontendDir, null, List.of());
    }

    public boolean loopback() {
        return RequestGuard.isLoopback(host);
    }

    /** What the command line gave; null (or empty) where it gave nothing. */
    public record Flags(String host, Integer port, String db, String dataDir, String frontendDir, String token,
            List<String> allowOrigins) {
        public static Flags none() {
            return new Flags(null, null, null, null, null, null, List.of());
        }
    }

    /** Flags win over environment variables, which win over the defaults; a bad value is one line, no trace. */
    public static LabOptions resolve(Flags f, java.util.Map<String, String> env) {
        String host = f.host() != null ? f.host() : env.getOrDefault("MAKEMORE_HOST", "127.0.0.1");
        String port = f.port() != null ? f.port().toString() : env.getOrDefault("MAKEMORE_PORT", "7070");
        String db = f.db() != null ? f.db() : env.get("MAKEMORE_DB");
        String dataDir = f.dataDir() != null ? f.dataDir() : env.getOrDefault("MAKEMORE_DATA_DIR", "data/lab");
        String frontend = f.frontendDir() != null ? f.frontendDir() : env.get("MAKEMORE_FRONTEND_DIR");
        String token = f.token() != null ? f.token() : env.get("MAKEMORE_TOKEN");
        List<String> origins = new ArrayList<>();
        if (env.get("MAKEMORE_ALLOW_ORIGIN") != null) {
            origins.addAll(List.of(env.get("MAKEMORE_ALLOW_ORIGIN").split(",")));
        }
        for (String o : f.allowOrigins()) {
            origins.addAll(List.of(o.split(",")));
        }
        int p;
        try {
            p = Integer.parseInt(port);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be in [0, 65535], got " + port);
        }
        if (token != null && !token.matches("[A-Za-z0-9._~-]{16,200}")) {
            throw new IllegalArgumentException("--token must be 16..200 characters of A-Z a-z 0-9 . _ ~ -");
        }
        List<String> allowed = new ArrayList<>();
        for (String o : origins) {
            if (!o.isBlank()) {
                allowed.add(RequestGuard.normalizeOrigin(o.strip()));
            }
        }
        Path data = Path.of(dataDir);
        return new LabOptions(host, p, db == null ? data.resolve("lab.db").toString() : db, data,
                frontend == null ? null : Path.of(frontend), token, allowed);
    }
}
