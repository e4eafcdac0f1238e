package makemore.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import makemore.data.Corpus;
import makemore.data.Dataset;
import makemore.model.Models;
import makemore.store.RunRecord;
import makemore.store.RunStore;
import makemore.store.TestPostgres;
import makemore.web.LabOptions;
import makemore.web.LabServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameters travel with the run store: a point that {@code ./lab sweep} trained with its files in one folder is
 * sampled, explained and test-scored by a lab on the same real PostgreSQL whose data directory has no file of it.
 */
class ParamsTravelTest {
    @TempDir
    Path dir;

    @Test
    void aLabOnTheSamePostgresqlUsesAPointTrainedElsewhere() throws Exception {
        try (TestPostgres pg = TestPostgres.start(dir)) {
            Path elsewhere = dir.resolve("machine-a-params");
            SweepCommandTest.Result r = SweepCommandTest.inJvmArgs(Map.of(), "--model", "mlp", "--hidden", "8",
                    "--steps", "40", "--evalEvery", "20", "--param", "lr", "--values", "0.2", "--db", pg.url,
                    "--params-dir", elsewhere.toString(), "--json", "--quiet");
            assertEquals(0, r.code(), r.err());
            String run = SweepCommandTest.lastLine(r.out()).get("points").get(0).get("run").asText();
            double expected;
            try (RunStore store = new RunStore(pg.url)) {
                RunRecord rec = store.get(run).orElseThrow();
                try (var m = Models.load(rec.config(), new Corpus(Dataset.builtinNames()),
                        elsewhere.resolve(run + ".params"))) {
                    expected = m.nll(Corpus.Part.TEST);
                }
            }
            Path labData = dir.resolve("machine-b");
            try (LabServer lab = LabServer.start(new LabOptions("127.0.0.1", 0, pg.url, labData, null))) {
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + lab.port() + "/api/runs/" + run;
                assertFalse(Files.exists(labData.resolve("params").resolve(run + ".params")), "no shared folder");
                HttpResponse<String> samples = http.send(HttpRequest.newBuilder(URI.create(base + "/samples"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"n\":3,\"seed\":1}")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, samples.statusCode(), samples.body());
                HttpResponse<String> explain = http.send(HttpRequest.newBuilder(URI.create(base + "/explain?text=emma"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, explain.statusCode(), explain.body());
                HttpResponse<String> test = http.send(HttpRequest.newBuilder(URI.create(base + "/test"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, test.statusCode(), test.body());
                JsonNode t = Cli.JSON.readTree(test.body());
                assertEquals(expected, t.get("loss").asDouble(), 1e-6, "the same parameters as machine A's file");
                assertTrue(Files.exists(labData.resolve("params").resolve(run + ".params")), "kept as a cache");
            }
            // ./lab eval on a third machine: the database alone
            Path data = dir.resolve("dev-like.txt");
            Files.writeString(data, "emma\nolivia\nava\nmia\nluna\nella\nzoe\nlily\nnora\nleah\nanna\nrose\n");
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code = CliAccess.run(Map.of(), new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
                    "eval", "--run", run, "--db", pg.url, "--params-dir", dir.resolve("machine-c").toString(),
                    "--data", data.toString(), "--json");
            assertEquals(0, code, err.toString());
            assertEquals(12, SweepCommandTest.lastLine(out.toString()).get("items").asInt(), out.toString());
        }
    }
}
