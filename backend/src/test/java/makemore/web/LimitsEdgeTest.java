package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.StringJoiner;
import makemore.config.Limits;
import org.junit.jupiter.api.Test;

/**
 * Every bound of {@link Limits} that a request meets, tried just under (or at) and just over, through the real
 * endpoints: at the bound it is taken, one past it is a 400 that names the field and states the bound. GET
 * /api/limits serves the same numbers the checks use.
 */
class LimitsEdgeTest extends ServerTestBase {
    private void refused(HttpResponse<String> r, String field, String bound) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        JsonNode j = json(r);
        assertEquals(field, j.get("field").asText(), r.body());
        assertTrue(j.get("error").asText().contains(bound), "the error states the bound " + bound + ": " + r.body());
    }

    private void stop(String id) throws Exception {
        send("POST", "/api/runs/" + id + "/stop", null); // 409 once it has ended: either way it trains no more
    }

    @Test
    void eachLimitHoldsJustOverAndNotJustUnder() throws Exception {
        JsonNode served = json(send("GET", "/api/limits", null));
        assertEquals(Limits.MAX_EVALS, served.get("maxEvals").asInt());
        assertEquals(Limits.SWEEP_RUNS, served.get("sweepRuns").asInt());
        assertEquals(Limits.TEMPERATURE.max(), served.at("/temperature/max").asDouble());

        // a run config: lr (0, 1000], temperature [0.05, 10], evaluations at most MAX_EVALS
        stop(createRun("{\"model\":\"mlp\",\"lr\":1000,\"steps\":1}"));
        refused(send("POST", "/api/runs", "{\"model\":\"mlp\",\"lr\":1000.001,\"steps\":1}"), "lr", "(0, 1000]");
        assertEquals(201, send("POST", "/api/runs", "{\"model\":\"ngram\",\"temperature\":10}").statusCode());
        refused(send("POST", "/api/runs", "{\"model\":\"ngram\",\"temperature\":10.01}"), "temperature", "[0.05, 10]");
        stop(createRun("{\"model\":\"mlp\",\"steps\":2000,\"evalEvery\":2}")); // taken; not worth training here
        refused(send("POST", "/api/runs", "{\"model\":\"mlp\",\"steps\":2001,\"evalEvery\":2}"), "evalEvery",
                "at most " + Limits.MAX_EVALS);

        // a finished count run: samples [1, 200], probe words up to MAX_CHARS, name and note lengths
        String id = createRun("{\"model\":\"ngram\"}");
        waitFor(id, "finished");
        assertEquals(200, send("POST", "/api/runs/" + id + "/samples", "{\"n\":200}").statusCode());
        refused(send("POST", "/api/runs/" + id + "/samples", "{\"n\":201}"), "n", "[1, 200]");
        assertEquals(200, send("POST", "/api/runs/" + id + "/probe", "{\"word\":\"" + "a".repeat(Limits.MAX_CHARS)
                + "\"}").statusCode());
        refused(send("POST", "/api/runs/" + id + "/probe", "{\"word\":\"" + "a".repeat(Limits.MAX_CHARS + 1) + "\"}"),
                "word", Integer.toString(Limits.MAX_CHARS));
        assertEquals(200, send("PATCH", "/api/runs/" + id, "{\"name\":\"" + "n".repeat(Limits.RUN_NAME) + "\"}")
                .statusCode());
        refused(send("PATCH", "/api/runs/" + id, "{\"name\":\"" + "n".repeat(Limits.RUN_NAME + 1) + "\"}"), "name",
                Integer.toString(Limits.RUN_NAME));
        assertEquals(200, send("PATCH", "/api/runs/" + id, "{\"note\":\"" + "n".repeat(Limits.RUN_NOTE) + "\"}")
                .statusCode());
        refused(send("PATCH", "/api/runs/" + id, "{\"note\":\"" + "n".repeat(Limits.RUN_NOTE + 1) + "\"}"), "note",
                Integer.toString(Limits.RUN_NOTE));

        // exports: at most EXPORT_RUNS distinct ids
        StringJoiner ids = new StringJoiner(",");
        for (int i = 0; i < Limits.EXPORT_RUNS; i++) {
            ids.add(i == 0 ? id : "nosuchrun" + i);
        }
        assertEquals(404, send("GET", "/api/export?format=json&ids=" + ids, null).statusCode(),
                "200 ids are taken (and the unknown ones looked up)");
        refused(send("GET", "/api/export?format=json&ids=" + ids + ",oneover", null), "ids",
                Integer.toString(Limits.EXPORT_RUNS));

        // sweeps: at most SWEEP_RUNS runs (values x seeds) and SWEEP_SEEDS seeds
        String base = "{\"base\":{\"model\":\"ngram\"},\"params\":[{\"field\":\"smoothing\",\"range\":{\"lo\":0.1,\"hi\":10,"
                + "\"points\":%d,\"scale\":\"log\"}}]%s}";
        refused(send("POST", "/api/sweeps", String.format(base, Limits.SWEEP_RUNS + 1, "")), "smoothing",
                Integer.toString(Limits.SWEEP_RUNS));
        refused(send("POST", "/api/sweeps", String.format(base, 1, ",\"seeds\":" + (Limits.SWEEP_SEEDS + 1))), "seeds",
                Integer.toString(Limits.SWEEP_SEEDS));
        assertEquals(201, send("POST", "/api/sweeps", String.format(base, 2, ",\"seeds\":" + Limits.SWEEP_SEEDS))
                .statusCode(), "100 runs at 50 seeds");

        // smoothing vs L2: steps and points
        refused(send("GET", "/api/experiments/smoothing-l2?steps=" + ((int) Limits.SMOOTHING_L2_STEPS.max() + 1), null),
                "steps", "[1, 2000]");
        refused(send("GET", "/api/experiments/smoothing-l2?points=" + ((int) Limits.SMOOTHING_L2_POINTS.max() + 1), null),
                "points", "[2, 41]");
        refused(send("GET", "/api/experiments/smoothing-l2?points=1", null), "points", "[2, 41]");
        assertEquals(200, send("GET", "/api/experiments/smoothing-l2?steps=1&points=2", null).statusCode());
    }
}
