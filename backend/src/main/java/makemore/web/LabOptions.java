package makemore.web;

import java.nio.file.Path;

/**
 * Where the lab listens and keeps its data. {@code port} 0 picks a free port; {@code db} is a file or a JDBC URL;
 * {@code frontendDir} serves the page from a folder (development) instead of the copy inside the jar.
 */
public record LabOptions(String host, int port, String db, Path dataDir, Path frontendDir) {

    /** Flags win over environment variables, which win over the defaults. */
    public static LabOptions parse(String[] args, java.util.Map<String, String> env) {
        String host = env.getOrDefault("MAKEMORE_HOST", "127.0.0.1");
        String port = env.getOrDefault("MAKEMORE_PORT", "7070");
        String db = env.get("MAKEMORE_DB");
        String dataDir = env.getOrDefault("MAKEMORE_DATA_DIR", "data/lab");
        String frontend = env.get("MAKEMORE_FRONTEND_DIR");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null && !a.equals("--help")) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            switch (a) {
                case "--host" -> host = v;
                case "--port" -> port = v;
                case "--db" -> db = v;
                case "--data-dir" -> dataDir = v;
                case "--frontend-dir" -> frontend = v;
                default -> throw new IllegalArgumentException("unknown option " + a
                        + "; serve takes --host, --port, --db, --data-dir, --frontend-dir");
            }
            i++;
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
        Path data = Path.of(dataDir);
        return new LabOptions(host, p, db == null ? data.resolve("lab.db").toString() : db, data,
                frontend == null ? null : Path.of(frontend));
    }
}
