package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An ASHA sweep on the lab's own trainers, and the search's bad input, over HTTP as the page sends it. */
class AshaRoutesTest extends ServerTestBase {
    static final String BASE = "{\"base\":{\"model\":\"mlp\",\"steps\":180,\"evalEvery\":20,\"batch\":16},\"params\":["
            + "{\"field\":\"lr\",\"range\":{\"lo\":0.001,\"hi\":1,\"scale\":\"log\"}},"
            + "{\"field\":\"hidden\",\"range\":{\"lo\":8,\"hi\":48}}],";
    static final String ASHA = BASE + "\"search\":{\"kind\":\"asha\",\"trials\":6,\"seed\":1,\"eta\":3,\"minSteps\":20}}";

    @Test
    void theLabsTrainersRunAshaAndTheSweepShowsItsRungs() throws Exception {
        var r = send("POST", "/api/sweeps", ASHA);
        assertEquals(201, r.statusCode(), r.body());
        String id = json(r).get("id").asText();
        assertEquals(6, json(r).get("points").asInt());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        JsonNode s = json(send("GET", "/api/sweeps/" + id, null));
        while (!s.get("status").asText().equals("finished") && System.nanoTime() < end) {
            Thread.sleep(100);
            s = json(send("GET", "/api/sweeps/" + id, null));
        }
        assertEquals("finished", s.get("status").asText(), s.toString());
        assertEquals("asha", s.get("definition").get("search").get("kind").asText());
        JsonNode rungs = json(send("GET", "/api/sweeps/" + id + "/rungs", null));
        assertEquals(3, rungs.get("rungs").size());
        assertEquals(6, rungs.get("rungs").get(0).get("reached").asInt(), rungs.toString());
        int pruned = 0;
        for (int k = 0; k < 3; k++) {
            JsonNode rung = rungs.get("rungs").get(k);
            pruned += rung.get("pruned").asInt();
            if (k < 2) {
                assertEquals(rungs.get("rungs").get(k + 1).get("reached").asInt(), rung.get("promoted").asInt());
            }
        }
        assertTrue(pruned >= 3, "ASHA stopped trials early: " + rungs);
        for (JsonNode t : rungs.get("trials")) { // each trial's dev at each rung, linked to its run
            String status = json(send("GET", "/api/runs/" + t.get("run").asText(), null)).get("status").asText();
            assertEquals(t.get("status").asText(), status);
            JsonNode last = t.get("rungs").get(t.get("rungs").size() - 1);
            assertEquals(status.equals("pruned"), last.get("promoted").isBoolean() && !last.get("promoted").asBoolean(),
                    t.toString());
        }
        assertEquals(404, send("GET", "/api/sweeps/" + json(send("POST", "/api/sweeps", BASE
                + "\"search\":{\"kind\":\"random\",\"trials\":2}}")).get("id").asText() + "/rungs", null).statusCode());
    }

    @Test
    void badSearchesAre400sNamingTheFlag() throws Exception {
        String[][] cases = {
            {ASHA.replace("\"trials\":6", "\"trials\":1"), "trials"},
            {ASHA.replace("\"eta\":3", "\"eta\":1"), "eta"},
            {ASHA.replace("\"minSteps\":20", "\"minSteps\":400"), "min-steps"},
            {ASHA.replace("\"trials\":6", "\"trials\":100000"), "trials"},
            {ASHA.replace("\"lo\":8", "\"lo\":60"), "hidden"},
            {ASHA.replace("\"lo\":0.001", "\"lo\":-1"), "lr"},
            {"{\"base\":{\"model\":\"mlp\"},\"params\":[{\"field\":\"lr\",\"values\":[0.1,0.2]}],"
                    + "\"search\":{\"kind\":\"random\",\"trials\":3}}", "search"},
        };
        for (String[] c : cases) {
            var r = send("POST", "/api/sweeps", c[0]);
            assertEquals(400, r.statusCode(), c[0] + " -> " + r.body());
            assertEquals(c[1], json(r).get("field").asText(), r.body());
        }
        assertEquals(0, json(send("GET", "/api/sweeps", null)).size(), "nothing created");
    }
}
