package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import makemore.config.Limits;
import org.junit.jupiter.api.Test;

/**
 * POST /api/runs/estimate: what the page shows before Train. A config within the limits gets its estimated time;
 * one over a limit gets the 400 that creating it would get, naming the field; neither stores anything.
 */
class RunEstimateRouteTest extends ServerTestBase {
    static final String HUGE = "{\"model\":\"mlp\",\"hidden\":4096,\"embDim\":512,\"context\":16,\"batch\":4096}";

    private int runCount() throws Exception {
        return json(send("GET", "/api/runs", null)).size();
    }

    @Test
    void estimatesWithoutCreatingAndRefusesWhatCreateRefuses() throws Exception {
        HttpResponse<String> ok = send("POST", "/api/runs/estimate", "{\"model\":\"mlp\",\"hidden\":64}");
        assertEquals(200, ok.statusCode(), ok.body());
        JsonNode e = json(ok);
        assertTrue(e.get("seconds").asDouble() > 0, ok.body());
        assertEquals(20000, e.get("steps").asLong());
        assertEquals(20, e.get("evaluations").asLong());
        assertTrue(e.get("text").asText().matches("about .+ on this machine"), ok.body());
        assertEquals(Limits.RUN_SECONDS, e.get("limitSeconds").asDouble());
        // bigger layers, longer estimate
        double bigger = json(send("POST", "/api/runs/estimate", "{\"model\":\"mlp\",\"hidden\":1024}")).get("seconds")
                .asDouble();
        assertTrue(bigger > e.get("seconds").asDouble(), "hidden 1024: " + bigger);

        HttpResponse<String> over = send("POST", "/api/runs/estimate", HUGE);
        assertEquals(400, over.statusCode(), over.body());
        assertEquals("hidden", json(over).get("field").asText());
        assertTrue(json(over).get("error").asText().contains("the limit is 24 h"), over.body());
        HttpResponse<String> create = send("POST", "/api/runs", HUGE);
        assertEquals(400, create.statusCode(), create.body());
        assertEquals(json(over).get("error"), json(create).get("error"), "the same check, the same words");

        // a bad config is refused as create refuses it; a body that is no config is refused too
        HttpResponse<String> bad = send("POST", "/api/runs/estimate", "{\"model\":\"mlp\",\"hidden\":0}");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("hidden", json(bad).get("field").asText());
        assertEquals(400, send("POST", "/api/runs/estimate", "[]").statusCode());
        assertEquals(0, runCount(), "an estimate stores nothing");
        assertEquals(Limits.RUN_SECONDS, json(send("GET", "/api/limits", null)).get("runSeconds").asDouble());
    }
}
