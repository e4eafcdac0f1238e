package makemore.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import makemore.store.RunStore;
import makemore.web.LabOptions;
import makemore.web.LabServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The run list at scale: a lab over a store of N runs (sweeps of 500 points plus loose runs, {@link ManyRuns}) answers
 * the page's list requests; each is timed end to end over HTTP, 50 times after 10 warm-ups, with its answer size.
 * {@code ./lab bench-runs [--runs N] [--db JDBC-URL]}.
 */
@Command(name = "bench-runs", mixinStandardHelpOptions = true,
        description = "GET /api/runs over a store of many runs: p50/p95 latency and answer size per kind of request.")
public final class RunsBench implements Callable<Integer> {
    @Option(names = "--runs", paramLabel = "N", defaultValue = "10000",
            description = "runs in the store, a multiple of 500 (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--db", paramLabel = "URL", description = "an empty database to fill (default: a temporary SQLite file)")
    String db;

    @Override
    public Integer call() throws Exception {
        if (runs < 1000 || runs % 500 != 0 || runs > 200_000) {
            throw new makemore.cli.LabCli.UsageException("--runs must be a multiple of 500 in [1000, 200000], got " + runs);
        }
        Path dir = Files.createTempDirectory("lab-runs-bench");
        String url = db != null ? db : dir.resolve("runs.db").toString();
        long t0 = System.nanoTime();
        String sweep;
        try (RunStore store = new RunStore(url)) {
            sweep = ManyRuns.fill(store, runs / 500 - 1, 500, 500).get(0);
        }
        System.out.printf(Locale.ROOT, "%d runs (%d sweeps of 500 + 500 loose) stored in %.1f s on %s%n", runs,
                runs / 500 - 1, (System.nanoTime() - t0) / 1e9, db != null ? "the given database" : "SQLite");
        try (LabServer lab = LabServer.start(new LabOptions("127.0.0.1", 0, url, dir, null))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + lab.port() + "/api/runs";
            String[][] asks = {
                {"first page (no parameters)", ""},
                {"runs of no sweep", "?inSweep=false"},
                {"one sweep's runs", "?sweep=" + sweep},
                {"mlp, dev below 2.3, best first", "?model=mlp&devBelow=2.3&sort=bestDev"},
                {"name contains 'try'", "?name=try"},
                {"top 5 by dev", "?sort=bestDev&limit=5"},
                {"last page", "?offset=" + (runs - 100)},
            };
            System.out.println("| request | p50 ms | p95 ms | bytes | matching |");
            System.out.println("|---|---|---|---|---|");
            for (String[] a : asks) {
                List<Double> ms = new ArrayList<>();
                HttpResponse<String> last = null;
                for (int i = 0; i < 60; i++) {
                    long s = System.nanoTime();
                    last = http.send(HttpRequest.newBuilder(URI.create(base + a[1])).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (i >= 10) {
                        ms.add((System.nanoTime() - s) / 1e6);
                    }
                }
                if (last.statusCode() != 200) {
                    System.out.println(a[0] + ": " + last.statusCode() + " " + last.body());
                    return 1;
                }
                Collections.sort(ms);
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %d | %s |%n", a[0], ms.get(ms.size() / 2),
                        ms.get((int) Math.ceil(ms.size() * 0.95) - 1), last.body().length(),
                        last.headers().firstValue("X-Total-Count").orElse("?"));
            }
        }
        return 0;
    }
}
