package makemore.web;

import makemore.store.RunStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad run configs sent to POST /api/runs, as a careless user or a hostile client would: every one is a 400 that
 * names the field to blame (or "config" when the JSON itself is broken), none is a 500, and none creates a run.
 * (A field the chosen model does not use is not range-checked by RunConfig, so smoothing cases name the ngram.)
 */
class ConfigFuzzTest {
    /** body, then the fields the error may name (any of them). */
    static final String[][] CASES = {
        // wrong types
        {"{\"model\":5}", "model"}, {"{\"model\":\"lstm\"}", "model"}, {"{\"model\":[\"mlp\"]}", "model"},
        {"{\"context\":\"3\"}", "context"}, {"{\"context\":2.5}", "context"}, {"{\"context\":true}", "context"},
        {"{\"context\":[3]}", "context"}, {"{\"context\":{\"a\":1}}", "context"}, {"{\"lr\":\"0.1\"}", "lr"},
        {"{\"lr\":true}", "lr"}, {"{\"lr\":[0.1]}", "lr"}, {"{\"smoothing\":\"x\"}", "smoothing"},
        {"{\"hidden\":\"big\"}", "hidden"}, {"{\"steps\":\"20\"}", "steps"}, {"{\"seed\":\"42\"}", "seed"},
        {"{\"seed\":1.5}", "seed"}, {"{\"embDim\":1.5}", "embDim"}, {"{\"decayAt\":\"half\"}", "decayAt"},
        {"{\"temperature\":\"hot\"}", "temperature"}, {"{\"dataset\":{\"x\":1}}", "dataset"},
        {"{\"schedule\":[\"step\"]}", "schedule"}, {"{\"batch\":false}", "batch"},
        // NaN, Infinity, huge
        {"{\"lr\":\"NaN\"}", "lr"}, {"{\"lr\":\"Infinity\"}", "lr"}, {"{\"lr\":NaN}", "config", "lr"},
        {"{\"model\":\"ngram\",\"smoothing\":\"-Infinity\"}", "smoothing"}, {"{\"lr\":1e308}", "lr"},
        {"{\"model\":\"ngram\",\"smoothing\":1e308}", "smoothing"},
        {"{\"context\":1e308}", "context"}, {"{\"steps\":1e12}", "steps"}, {"{\"steps\":2147483648}", "steps"},
        {"{\"seed\":1e30}", "seed"}, {"{\"batch\":1e9}", "batch"}, {"{\"steps\":1e400}", "steps"},
        {"{\"temperature\":1e308}", "temperature"},
        // negatives and out of range
        {"{\"context\":0}", "context"}, {"{\"context\":-1}", "context"}, {"{\"context\":17}", "context"},
        {"{\"model\":\"ngram\",\"context\":6}", "context"}, {"{\"model\":\"neural\",\"context\":4}", "context"},
        {"{\"lr\":-0.1}", "lr"}, {"{\"lr\":0}", "lr"}, {"{\"model\":\"ngram\",\"smoothing\":-1}", "smoothing"},
        {"{\"l2\":-0.5}", "l2"},
        {"{\"l2\":1000}", "l2"}, {"{\"decayAt\":2}", "decayAt"}, {"{\"decayAt\":-0.1}", "decayAt"},
        {"{\"decayFactor\":0}", "decayFactor"}, {"{\"decayFactor\":1.5}", "decayFactor"}, {"{\"embDim\":0}", "embDim"},
        {"{\"embDim\":513}", "embDim"}, {"{\"hidden\":0}", "hidden"}, {"{\"hidden\":100000}", "hidden"},
        {"{\"batch\":-1}", "batch"}, {"{\"model\":\"mlp\",\"steps\":0}", "steps"}, {"{\"steps\":-5}", "steps"},
        {"{\"seed\":-1}", "seed"}, {"{\"evalEvery\":0}", "evalEvery"}, {"{\"evalEvery\":-1}", "evalEvery"},
        {"{\"sampleEvery\":-1}", "sampleEvery"}, {"{\"temperature\":0}", "temperature"},
        {"{\"temperature\":100}", "temperature"}, {"{\"schedule\":\"linear\"}", "schedule"},
        {"{\"dataset\":\"\"}", "dataset"}, {"{\"dataset\":\"../../etc/passwd\"}", "dataset"},
        {"{\"dataset\":\"nosuchdataset0000\"}", "dataset"},
        // too big to train: memory and cost budgets
        {"{\"model\":\"mlp\",\"batch\":65536,\"hidden\":4096,\"embDim\":64,\"context\":3}", "batch", "hidden", "embDim",
            "context", "config"},
        {"{\"model\":\"mlp\",\"context\":16,\"embDim\":64,\"hidden\":4096,\"batch\":65536}", "batch", "hidden", "embDim",
            "context", "config"},
        {"{\"model\":\"mlp\",\"steps\":1000000,\"evalEvery\":1}", "evalEvery", "steps"},
        // unknown fields, nesting, broken JSON
        {"{\"colour\":\"red\"}", "colour"}, {"{\"model\":\"mlp\",\"extra\":{\"nested\":[1,2]}}", "extra"},
        {"{\"MODEL\":\"mlp\"}", "MODEL"}, {"{\"model\":\"mlp\",}", "config"}, {"{\"model\":\"mlp\"}}", "config"},
        {"{\"model\":\"mlp\"} {}", "config"}, {"{\"model\":\"mlp\",\"model\":\"ngram\"}", "model", "config"},
        {"", "config"}, {"null", "config"}, {"[]", "config"}, {"\"mlp\"", "config"}, {"42", "config"},
        {"{\"model\":\"mlp\"", "config"}, {"{'model':'mlp'}", "config"},
    };

    /** What an error text must not hold: class or package names, exception names, stack or source positions. */
    static final java.util.regex.Pattern PROGRAMMER_TALK = java.util.regex.Pattern.compile(
            "\\b(java|javax|jakarta|com\\.fasterxml|io\\.javalin|org\\.eclipse|makemore)\\.[a-z]|[A-Z]\\w*(Exception|Error)\\b"
                    + "|\\bat [\\w$.]+\\(|\\[Source:|`[\\w.$]+`");

    @TempDir
    Path dir;

    @Test
    void everyBadConfigIsA400NamingItsFieldAndCreatesNothing() throws Exception {
        assertTrue(CASES.length >= 60, "at least 60 cases");
        List<String> wrong = new ArrayList<>();
        try (LabServer server = LabServer.start(new LabOptions("127.0.0.1", 0, dir.resolve("lab.db").toString(), dir,
                null))) {
            HttpClient http = HttpClient.newHttpClient();
            URI runs = URI.create("http://127.0.0.1:" + server.port() + "/api/runs");
            int fivehundreds = 0;
            for (String[] c : CASES) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(runs).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(c[0])).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() >= 500) {
                    fivehundreds++;
                }
                String field = null;
                try {
                    JsonNode j = RunStore.JSON.readTree(r.body());
                    field = j.path("field").asText(null);
                } catch (Exception notJson) {
                    // reported below
                }
                if (PROGRAMMER_TALK.matcher(r.body()).find()) {
                    wrong.add(c[0] + " -> an error text with class names or code positions: " + r.body());
                }
                if (r.statusCode() != 400 || !List.of(c).subList(1, c.length).contains(field)) {
                    wrong.add(c[0] + " -> " + r.statusCode() + " " + r.body());
                }
            }
            assertEquals(0, fivehundreds, "no bad config may cause a 500");
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(runs).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            int created = RunStore.JSON.readTree(list.body()).size();
            assertTrue(wrong.isEmpty(), wrong.size() + " of " + CASES.length + " bad configs were not a 400 naming"
                    + " the field (" + created + " runs created):\n" + String.join("\n", wrong));
            assertEquals(0, created);
        }
    }
}
