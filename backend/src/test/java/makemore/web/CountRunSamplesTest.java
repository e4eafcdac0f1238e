package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "Sample 20 more" on a stored count n-gram run: the same endpoint, limits and errors as a trained model, and the
 * same names for a seed whether its parameter file is there or not (the counts are taken again from the data).
 */
class CountRunSamplesTest extends ServerTestBase {
    static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

    List<String> sample(String id, double temperature, long seed) throws Exception {
        HttpResponse<String> r = send("POST", "/api/runs/" + id + "/samples",
                "{\"n\":20,\"temperature\":" + temperature + ",\"seed\":" + seed + "}");
        assertEquals(200, r.statusCode(), r.body());
        List<String> names = new ArrayList<>();
        json(r).get("names").forEach(n -> names.add(n.get("text").asText()));
        return names;
    }

    @Test
    void aStoredCountRunSamplesTwentyNamesWithOrWithoutItsParameterFile() throws Exception {
        String id = createRun("{\"model\":\"ngram\",\"context\":2,\"smoothing\":0.5}");
        waitFor(id, "finished");
        List<String> cool = sample(id, 0.5, 7);
        assertEquals(20, cool.size());
        for (String name : cool) {
            assertFalse(name.isEmpty(), cool.toString());
            assertTrue(name.chars().allMatch(c -> LETTERS.indexOf(c) >= 0), name);
        }
        assertEquals(cool, sample(id, 0.5, 7), "one seed, one list");
        assertNotEquals(cool, sample(id, 0.5, 8));
        assertNotEquals(cool, sample(id, 2, 7), "the temperature is applied");

        // as a run stored by ./lab sweep (which keeps no parameter file) or copied from another lab
        Path params = dir.resolve("params").resolve(id + ".params");
        assertTrue(Files.exists(params));
        Files.delete(params);
        assertEquals(cool, sample(id, 0.5, 7), "recounted from the dataset and config: the same names");
        stop();
        server = newServer();
        assertEquals(cool, sample(id, 0.5, 7), "and after a restart");
    }

    @Test
    void smoothingZeroAndKneserNeyRunsSampleToo() throws Exception {
        // smoothing 0: dev NLL is infinite (so no finite best-dev step), yet every drawn pair was seen in train
        String zero = createRun("{\"model\":\"ngram\",\"context\":3,\"smoothing\":0}");
        String kn = createRun("{\"model\":\"ngram\",\"context\":3,\"method\":\"kneser-ney\",\"discount\":0.8}");
        JsonNode evals = waitFor(zero, "finished").get("evals");
        assertTrue(evals.findValuesAsText("loss").contains("Infinity"), evals.toString());
        waitFor(kn, "finished");
        for (String id : List.of(zero, kn)) {
            List<String> names = sample(id, 1, 3);
            assertEquals(20, names.size());
            assertTrue(names.stream().allMatch(n -> !n.isEmpty() && n.chars().allMatch(c -> LETTERS.indexOf(c) >= 0)),
                    names.toString());
        }
    }

    @Test
    void badTemperaturesAndUnfinishedCountRunsAreTheSameErrorsAsForAnMlp() throws Exception {
        int slots = makemore.lab.RunService.defaultConcurrency();
        List<String> busy = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            busy.add(createRun("{\"model\":\"mlp\",\"steps\":200000,\"hidden\":16,\"evalEvery\":100000}"));
        }
        String queuedCount = createRun("{\"model\":\"ngram\",\"context\":2}");
        String queuedMlp = createRun("{\"model\":\"mlp\",\"steps\":100,\"hidden\":16}");
        try {
            assertEquals("queued", json(send("GET", "/api/runs/" + queuedCount, null)).get("status").asText());
            for (String id : List.of(queuedCount, queuedMlp)) {
                HttpResponse<String> r = send("POST", "/api/runs/" + id + "/samples", "{\"n\":20,\"temperature\":1}");
                assertEquals(409, r.statusCode(), r.body());
                assertEquals("run " + id + " has no saved parameters yet (it is queued; parameters are saved at each"
                        + " evaluation)", json(r).get("error").asText());
            }
            for (String t : List.of("0.01", "11", "-1")) {
                String body = "{\"n\":20,\"temperature\":" + t + "}";
                HttpResponse<String> count = send("POST", "/api/runs/" + queuedCount + "/samples", body);
                HttpResponse<String> mlp = send("POST", "/api/runs/" + busy.get(0) + "/samples", body);
                assertEquals(400, count.statusCode(), count.body());
                assertEquals("temperature", json(count).get("field").asText());
                assertEquals(mlp.statusCode() + mlp.body(), count.statusCode() + count.body());
            }
        } finally {
            for (String id : busy) {
                send("POST", "/api/runs/" + id + "/stop", null);
            }
        }
        waitFor(queuedCount, "finished");
        assertEquals(20, sample(queuedCount, 1, 1).size());
    }
}
