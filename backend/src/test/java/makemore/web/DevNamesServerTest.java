package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The hardest and easiest dev names at each evaluation, and the tanh saturation image: stored with the run, the
 * same after a restart, the names' values those the explain view gives.
 */
class DevNamesServerTest extends ServerTestBase {

    @Test
    void hardestAndEasiestAreSortedExplainedStoredAndKeptWithTheSaturationImage() throws Exception {
        String id = createRun("{\"model\":\"mlp\",\"hidden\":32,\"steps\":300,\"evalEvery\":150,\"sampleEvery\":0,"
                + "\"init\":\"naive\"}");
        JsonNode run = waitFor(id, "finished");
        JsonNode names = run.get("devNames");
        assertEquals(2, names.size(), "one entry per evaluation");
        JsonNode last = names.get(1);
        assertEquals(300, last.get("step").asLong());
        JsonNode hardest = last.get("hardest");
        JsonNode easiest = last.get("easiest");
        assertEquals(20, hardest.size());
        assertEquals(20, easiest.size());
        for (int i = 1; i < 20; i++) {
            assertTrue(hardest.get(i - 1).get("nll").asDouble() >= hardest.get(i).get("nll").asDouble());
            assertTrue(easiest.get(i - 1).get("nll").asDouble() <= easiest.get(i).get("nll").asDouble());
        }
        assertTrue(hardest.get(19).get("nll").asDouble() > easiest.get(19).get("nll").asDouble());
        for (JsonNode list : new JsonNode[] {hardest, easiest}) {
            for (JsonNode x : list) {
                String text = x.get("text").asText();
                JsonNode e = json(send("GET", "/api/runs/" + id + "/explain?text="
                        + URLEncoder.encode(text, StandardCharsets.UTF_8), null));
                assertEquals(300, e.get("parametersFromStep").asLong(), "the final evaluation is the best here");
                assertEquals(e.get("nll").asDouble(), x.get("nll").asDouble(), 1e-4, text);
                assertEquals(x.get("nll").asDouble(), last.get("tracked").get(text).asDouble(), 1e-12);
                assertTrue(names.get(0).get("tracked").has(text) || !listed(names.get(0), text),
                        "an item listed at the first evaluation is tracked from it");
            }
        }
        JsonNode image = run.get("health").get("series").get(0).get("layers").get(1).get("image");
        assertEquals(32, image.get("units").asInt());
        assertTrue(image.get("saturatedCells").asInt() > 0, "naive init saturates at step 0");

        server.close();
        server = newServer();
        JsonNode again = json(send("GET", "/api/runs/" + id, null));
        assertEquals(names, again.get("devNames"), "the same after a restart");
        assertEquals(run.get("health").get("series"), again.get("health").get("series"));
        assertEquals(image, again.get("health").get("series").get(0).get("layers").get(1).get("image"));
    }

    private static boolean listed(JsonNode entry, String text) {
        for (String list : new String[] {"hardest", "easiest"}) {
            for (JsonNode x : entry.get(list)) {
                if (x.get("text").asText().equals(text)) {
                    return true;
                }
            }
        }
        return false;
    }
}
