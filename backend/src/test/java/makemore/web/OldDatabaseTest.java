package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import makemore.config.RunConfig;
import makemore.model.Models;
import org.junit.jupiter.api.Test;

/**
 * A lab database written before the one-house redesign (test resource before-one-house/lab.sql, dumped from a lab
 * at commit a59f865, with two of its parameter files) opens after it: runs, labels, test score, steering and sweep
 * read back; the saved parameters sample and probe; and the stored config trains the same curve again.
 */
class OldDatabaseTest extends ServerTestBase {
    private static final String MLP = "5zhsmpddpt";
    private static final String COUNTS = "gtkdnp75ec";
    private static final String SWEEP = "sq8jwxzgn6w";

    @Override
    LabServer newServer() {
        Path db = dir.resolve("lab.db");
        if (!Files.exists(db)) {
            try {
                load(db);
                Path params = Files.createDirectories(dir.resolve("params"));
                for (String f : new String[] {MLP + ".params", "2t76zgtwvb.params"}) {
                    try (InputStream in = resource("params/" + f)) {
                        Files.copy(in, params.resolve(f));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return super.newServer();
    }

    private static InputStream resource(String name) {
        InputStream in = OldDatabaseTest.class.getResourceAsStream("/before-one-house/" + name);
        assertNotNull(in, "test resource before-one-house/" + name + " is missing");
        return in;
    }

    /** Replays the dump, one statement a line, into a new SQLite file. */
    private static void load(Path db) throws IOException {
        String sql;
        try (InputStream in = resource("lab.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String line : sql.split("\n")) {
                if (!line.isBlank() && !line.startsWith("--")) {
                    s.execute(line);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load the old database: " + e.getMessage(), e);
        }
    }

    @Test
    void runsLabelsScoresAndSweepsReadBack() throws Exception {
        JsonNode list = json(send("GET", "/api/runs", null));
        Set<String> ids = new HashSet<>();
        list.forEach(r -> ids.add(r.get("id").asText()));
        assertEquals(Set.of(MLP, COUNTS, "rqxh38deu7", "2t76zgtwvb"), ids);
        list.forEach(r -> assertEquals("finished", r.get("status").asText(), r.toString()));

        JsonNode mlp = json(send("GET", "/api/runs/" + MLP, null));
        assertEquals("small mlp", mlp.get("name").asText());
        assertEquals("written before the one-house change", mlp.get("note").asText());
        assertEquals(0.1, mlp.at("/config/lr").asDouble());
        assertEquals(150, mlp.at("/lrChanges/0/step").asLong());
        assertEquals(0.05, mlp.at("/lrChanges/0/lr").asDouble());
        assertEquals(6, mlp.get("evals").size(), "train and dev at steps 100, 200, 300: " + mlp.get("evals"));
        assertEquals(2.228078035594347, json(send("GET", "/api/runs/" + COUNTS, null)).at("/test/loss").asDouble());

        JsonNode sweep = json(send("GET", "/api/sweeps/" + SWEEP, null));
        assertEquals("finished", sweep.get("status").asText());
        assertEquals(2, sweep.get("points").size());
        assertEquals("rqxh38deu7", sweep.at("/best/run").asText(), "l2 0.001 (dev 2.4909) beats l2 0.1 (2.5149)");
    }

    @Test
    void savedParametersSampleAndProbe() throws Exception {
        String body = "{\"n\":8,\"temperature\":1.0,\"seed\":3}";
        var first = send("POST", "/api/runs/" + MLP + "/samples", body);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(8, json(first).get("names").size());
        assertEquals(first.body(), send("POST", "/api/runs/" + MLP + "/samples", body).body(), "same seed, same names");

        JsonNode probe = json(send("POST", "/api/runs/" + MLP + "/probe", "{\"word\":\"emma\"}"));
        assertEquals(5, probe.get("chars").size(), probe.toString());
        double nll = probe.get("nll").asDouble();
        assertTrue(nll > 0 && nll < Math.log(27), "a trained model scores emma better than uniform: " + nll);

        var counts = send("POST", "/api/runs/" + COUNTS + "/samples", body); // recounted: it has no parameter file
        assertEquals(200, counts.statusCode(), counts.body());
    }

    /** The stored config, validated by today's code, trains today exactly the evaluations stored then. */
    @Test
    void theStoredConfigTrainsTheSameCurve() throws Exception {
        JsonNode old = json(send("GET", "/api/runs/" + MLP, null));
        RunConfig cfg = Models.validate(RunConfig.fromJson(old.get("config").toString()));
        String again = createRun(cfg.toJson());
        JsonNode now = waitFor(again, "finished");
        List<JsonNode> was = sorted(old.get("evals"));
        List<JsonNode> is = sorted(now.get("evals")); // a live record lists train before dev, the store by split
        assertEquals(was.size(), is.size());
        for (int i = 0; i < was.size(); i++) {
            JsonNode a = was.get(i);
            JsonNode b = is.get(i);
            assertEquals(a.get("step").asLong(), b.get("step").asLong());
            assertEquals(a.get("split").asText(), b.get("split").asText());
            assertEquals(a.get("loss").asDouble(), b.get("loss").asDouble(), 1e-6, "eval " + i + ": " + a + " vs " + b);
        }
    }

    private static List<JsonNode> sorted(JsonNode evals) {
        List<JsonNode> out = new java.util.ArrayList<>();
        evals.forEach(out::add);
        out.sort(java.util.Comparator.comparingLong((JsonNode e) -> e.get("step").asLong())
                .thenComparing(e -> e.get("split").asText()));
        return out;
    }
}
