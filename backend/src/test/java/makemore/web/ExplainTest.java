package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** GET /api/runs/{id}/explain: every position's next-character distribution, for every kind of model. */
class ExplainTest extends ServerTestBase {
    private JsonNode explain(String id, String text, int status) throws Exception {
        var r = send("GET", "/api/runs/" + id + "/explain?text=" + URLEncoder.encode(text, StandardCharsets.UTF_8), null);
        assertEquals(status, r.statusCode(), r.body());
        return json(r);
    }

    @Test
    void eachPositionIsADistributionAndTheMeanIsTheProbesNll() throws Exception {
        for (String cfg : new String[] {"{\"model\":\"ngram\",\"context\":2}",
            "{\"model\":\"mlp\",\"hidden\":32,\"steps\":400,\"evalEvery\":200}",
            "{\"model\":\"transformer\",\"layers\":1,\"embDim\":16,\"heads\":2,\"steps\":60,\"evalEvery\":30}"}) {
            String id = createRun(cfg);
            JsonNode run = waitFor(id, "finished");
            JsonNode e = explain(id, "emma", 200);
            assertEquals("emma", e.get("text").asText());
            assertEquals(".", e.get("vocab").get(0).asText(), "the end/start symbol first");
            assertEquals(5, e.get("positions").size(), "four characters and the end");
            double sum = 0;
            String[] next = {"e", "m", "m", "a", "."};
            for (int i = 0; i < 5; i++) {
                JsonNode pos = e.get("positions").get(i);
                assertEquals(next[i], pos.get("next").asText());
                double total = 0;
                for (JsonNode p : pos.get("p")) {
                    total += p.asDouble();
                }
                assertEquals(1.0, total, 1e-9, cfg + " position " + i);
                int at = indexOf(e.get("vocab"), next[i]);
                assertEquals(-Math.log(pos.get("p").get(at).asDouble()), pos.get("nll").asDouble(), 1e-9);
                sum += pos.get("nll").asDouble();
            }
            assertEquals(sum / 5, e.get("nll").asDouble(), 1e-12);
            assertTrue(e.get("nll").asDouble() < Math.log(27), cfg + ": better than uniform on a common name");
            double probe = json(send("POST", "/api/runs/" + id + "/probe", "{\"word\":\"emma\"}")).get("nll").asDouble();
            assertEquals(probe, e.get("nll").asDouble(), 1e-9, "explain and probe agree: " + cfg);
            if (!cfg.contains("ngram")) {
                long best = e.get("parametersFromStep").asLong();
                assertTrue(best > 0 && best <= run.get("step").asLong(), "the best dev evaluation's step: " + best);
            }
        }
    }

    @Test
    void badTextsAre400sNamingTheTextAndRunsWithoutParametersA409() throws Exception {
        String id = createRun("{\"model\":\"transformer\",\"layers\":1,\"embDim\":16,\"heads\":2,\"steps\":30,"
                + "\"evalEvery\":30}");
        waitFor(id, "finished");
        JsonNode unknown = explain(id, "zoë", 400);
        assertEquals("text", unknown.get("field").asText());
        assertTrue(unknown.get("error").asText().contains("'ë'"), unknown.toString());
        assertEquals("text", explain(id, "", 400).get("field").asText());
        JsonNode longer = explain(id, "a".repeat(16), 400);
        assertTrue(longer.get("error").asText().contains("15 characters"), longer.toString());
        assertEquals(404, send("GET", "/api/runs/nosuchrun1/explain?text=emma", null).statusCode());
        String counts = createRun("{\"model\":\"ngram\"}"); // no block size: the lab's item length bounds it
        waitFor(counts, "finished");
        assertEquals(64 + 1, explain(counts, "a".repeat(makemore.config.Limits.MAX_CHARS), 200).get("positions").size());
        JsonNode over = explain(counts, "a".repeat(makemore.config.Limits.MAX_CHARS + 1), 400);
        assertEquals("text", over.get("field").asText());
        assertTrue(over.get("error").asText().contains("64 characters"), over.toString());
        String diverged = createRun("{\"model\":\"mlp\",\"lr\":1000,\"steps\":300,\"evalEvery\":300}");
        waitFor(diverged, "diverged");
        JsonNode none = explain(diverged, "emma", 409);
        assertTrue(none.get("error").asText().contains("no saved parameters"), none.toString());
    }

    private static int indexOf(JsonNode vocab, String ch) {
        for (int i = 0; i < vocab.size(); i++) {
            if (vocab.get(i).asText().equals(ch)) {
                return i;
            }
        }
        throw new AssertionError(ch + " not in " + vocab);
    }

    /** Dev NLL by position: its weighted mean is the run's own dev NLL, from the same parameters. */
    @Test
    void lossByPositionAddsUpToTheDevNll() throws Exception {
        for (String cfg : new String[] {"{\"model\":\"ngram\",\"context\":2}",
            "{\"model\":\"mlp\",\"hidden\":32,\"steps\":400,\"evalEvery\":200}"}) {
            String id = createRun(cfg);
            JsonNode run = waitFor(id, "finished");
            var r = send("GET", "/api/runs/" + id + "/loss-by-position", null);
            assertEquals(200, r.statusCode(), r.body());
            JsonNode b = json(r);
            JsonNode rows = b.get("positions");
            assertEquals("1", rows.get(0).get("position").asText());
            assertEquals("end", rows.get(rows.size() - 1).get("position").asText());
            double sum = 0;
            long tokens = 0;
            for (JsonNode row : rows) {
                sum += row.get("nll").asDouble() * row.get("tokens").asLong();
                tokens += row.get("tokens").asLong();
            }
            assertEquals(b.get("nll").asDouble(), sum / tokens, 1e-9);
            assertEquals(run.get("bestDev").asDouble(), b.get("nll").asDouble(), 1e-4, cfg + ": the dev NLL itself");
            assertEquals(rows.get(0).get("tokens").asLong(), rows.get(rows.size() - 1).get("tokens").asLong(),
                    "every dev item has a first character and an end");
        }
    }

    /** Two tabs on one run ask at once: the second waits for the first's pass and gets the same answer, not a 429. */
    @Test
    void twoTabsAskingForLossByPositionAtOnceBothGetIt() throws Exception {
        String id = createRun("{\"model\":\"mlp\",\"hidden\":32,\"steps\":200,\"evalEvery\":100}");
        waitFor(id, "finished");
        var a = java.util.concurrent.CompletableFuture.supplyAsync(() -> ask(id));
        var b = java.util.concurrent.CompletableFuture.supplyAsync(() -> ask(id));
        var ra = a.get(60, java.util.concurrent.TimeUnit.SECONDS);
        var rb = b.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, ra.statusCode(), ra.body());
        assertEquals(200, rb.statusCode(), rb.body());
        assertEquals(json(ra).get("positions"), json(rb).get("positions"));
    }

    private java.net.http.HttpResponse<String> ask(String id) {
        try {
            return send("GET", "/api/runs/" + id + "/loss-by-position", null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
