package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** GET /api/runs/{id}/attention and /influence: what inside a model makes a prediction. */
class AttributionTest extends ServerTestBase {
    private JsonNode get(String id, String what, String query, int status) throws Exception {
        var r = send("GET", "/api/runs/" + id + "/" + what + "?" + query, null);
        assertEquals(status, r.statusCode(), r.body());
        return json(r);
    }

    private static String text(String t) {
        return "text=" + URLEncoder.encode(t, StandardCharsets.UTF_8);
    }

    @Test
    void attentionRowsAreCausalDistributionsPerLayerAndHead() throws Exception {
        String id = createRun("{\"model\":\"transformer\",\"layers\":2,\"embDim\":16,\"heads\":4,\"steps\":40,"
                + "\"evalEvery\":20}");
        JsonNode run = waitFor(id, "finished");
        JsonNode a = get(id, "attention", text("emma"), 200);
        assertEquals("[\".\",\"e\",\"m\",\"m\",\"a\"]", a.get("tokens").toString());
        JsonNode layers = a.get("layers");
        assertEquals(2, layers.size(), "one map per layer");
        for (JsonNode layer : layers) {
            assertEquals(4, layer.size(), "one map per head");
            for (JsonNode head : layer) {
                assertEquals(5, head.size());
                for (int i = 0; i < 5; i++) {
                    JsonNode row = head.get(i);
                    assertEquals(5, row.size());
                    double sum = 0;
                    for (int j = 0; j < 5; j++) {
                        double w = row.get(j).asDouble();
                        if (j > i) {
                            assertEquals(0.0, w, 0.0, "no look ahead: row " + i + " column " + j);
                        }
                        assertTrue(w >= 0);
                        sum += w;
                    }
                    assertEquals(1.0, sum, 1e-5, "row " + i);
                }
            }
        }
        long best = a.get("parametersFromStep").asLong();
        assertTrue(best > 0 && best <= run.get("step").asLong(), "the best dev evaluation's step: " + best);
        // the influence of a sequence model: a distribution over the tokens up to the position, none after it
        for (int pos : new int[] {0, 2, 4}) {
            JsonNode f = get(id, "influence", text("emma") + "&position=" + pos, 200);
            assertEquals(pos, f.get("position").asInt());
            assertEquals("emma.".substring(pos, pos + 1), f.get("next").asText());
            double sum = 0;
            for (int j = 0; j < 5; j++) {
                double w = f.get("influence").get(j).asDouble();
                if (j > pos) {
                    assertEquals(0.0, w, 0.0, "a later token cannot drive position " + pos);
                }
                sum += w;
            }
            assertEquals(1.0, sum, 1e-9);
        }
        assertEquals(4, get(id, "influence", text("emma"), 200).get("position").asInt(), "the end by default");
    }

    @Test
    void mlpInfluenceStaysInsideItsContextAndFavoursTheNearestCharacter() throws Exception {
        String id = createRun("{\"model\":\"mlp\",\"context\":3,\"hidden\":64,\"steps\":3000,\"evalEvery\":1500,"
                + "\"seed\":7}");
        waitFor(id, "finished");
        double nearest = 0;
        double farthest = 0;
        for (String name : new String[] {"isabella", "sophia", "olivia", "charlotte", "amelia", "harper", "evelyn",
            "abigail"}) {
            int end = name.length();
            for (int pos = 3; pos <= end; pos++) {
                JsonNode f = get(id, "influence", text(name) + "&position=" + pos, 200);
                JsonNode w = f.get("influence");
                assertEquals(end + 1, w.size());
                double sum = 0;
                for (int j = 0; j <= end; j++) {
                    double v = w.get(j).asDouble();
                    if (j < pos - 2 || j > pos) {
                        assertEquals(0.0, v, 0.0, name + " @" + pos + ": token " + j + " is outside the 3 read");
                    }
                    sum += v;
                }
                assertEquals(1.0, sum, 1e-9);
                nearest += w.get(pos).asDouble();
                farthest += w.get(pos - 2).asDouble();
            }
        }
        assertTrue(nearest > farthest, "on average the last character read matters most: " + nearest + " vs "
                + farthest);
    }

    /** The recurrent nets read everything before the position; WaveNet and the batchnorm MLP only their context. */
    @Test
    void everyEmbeddingModelAnswersADistributionOverWhatItReads() throws Exception {
        String[] cfgs = {"{\"model\":\"rnn\",\"embDim\":8,\"hidden\":16,\"steps\":20,\"evalEvery\":20}",
            "{\"model\":\"gru\",\"embDim\":8,\"hidden\":16,\"steps\":20,\"evalEvery\":20}",
            "{\"model\":\"wavenet\",\"context\":4,\"embDim\":8,\"hidden\":16,\"steps\":20,\"evalEvery\":20}",
            "{\"model\":\"mlp\",\"batchnorm\":true,\"context\":2,\"hidden\":16,\"steps\":20,\"evalEvery\":20}"};
        int[] reads = {99, 99, 4, 2};
        for (int c = 0; c < cfgs.length; c++) {
            String id = createRun(cfgs[c]);
            waitFor(id, "finished");
            JsonNode w = get(id, "influence", text("charlotte") + "&position=7", 200).get("influence");
            double sum = 0;
            for (int j = 0; j < w.size(); j++) {
                double v = w.get(j).asDouble();
                boolean read = j <= 7 && j > 7 - reads[c];
                assertTrue(read ? v > 0 : v == 0, cfgs[c] + ": token " + j + " = " + v);
                sum += v;
            }
            assertEquals(1.0, sum, 1e-9, cfgs[c]);
        }
    }

    @Test
    void badInputsAre400sNamingTheFieldAndRunsWithoutParametersA409() throws Exception {
        String tf = createRun("{\"model\":\"transformer\",\"layers\":1,\"embDim\":16,\"heads\":2,\"steps\":20,"
                + "\"evalEvery\":20}");
        String mlp = createRun("{\"model\":\"mlp\",\"hidden\":16,\"steps\":20,\"evalEvery\":20}");
        String counts = createRun("{\"model\":\"ngram\"}");
        waitFor(tf, "finished");
        waitFor(mlp, "finished");
        waitFor(counts, "finished");
        int listed = json(send("GET", "/api/runs", null)).size();
        for (String what : new String[] {"attention", "influence"}) {
            JsonNode unknown = get(tf, what, text("zoë"), 400);
            assertEquals("text", unknown.get("field").asText());
            assertTrue(unknown.get("error").asText().contains("'ë'"), unknown.toString());
            assertEquals("text", get(tf, what, text(""), 400).get("field").asText());
            assertEquals("text", get(tf, what, "", 400).get("field").asText());
            get(tf, what, text("a".repeat(15)), 200); // at the block: answered; one more: refused
            JsonNode longer = get(tf, what, text("a".repeat(16)), 400);
            assertEquals("text", longer.get("field").asText());
            assertTrue(longer.get("error").asText().contains("15 characters"), longer.toString());
        }
        assertEquals("model", get(mlp, "attention", text("emma"), 400).get("field").asText());
        assertEquals("model", get(counts, "influence", text("emma"), 400).get("field").asText());
        assertEquals("position", get(mlp, "influence", text("emma") + "&position=5", 400).get("field").asText());
        assertEquals("position", get(mlp, "influence", text("emma") + "&position=-1", 400).get("field").asText());
        assertEquals("position", get(mlp, "influence", text("emma") + "&position=x", 400).get("field").asText());
        assertEquals(listed, json(send("GET", "/api/runs", null)).size(), "nothing created");
        String diverged = createRun("{\"model\":\"transformer\",\"layers\":1,\"embDim\":16,\"heads\":2,\"lr\":1000,"
                + "\"steps\":300,\"evalEvery\":300}");
        waitFor(diverged, "diverged");
        for (String what : new String[] {"attention", "influence"}) {
            JsonNode none = get(diverged, what, text("emma"), 409);
            assertTrue(none.get("error").asText().contains("no saved parameters"), none.toString());
        }
    }
}
