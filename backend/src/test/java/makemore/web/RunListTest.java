package makemore.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import makemore.bench.ManyRuns;
import makemore.config.Limits;
import org.junit.jupiter.api.Test;

/**
 * The run list at ten thousand runs: a page of 100 by default with the total in a header, filters and sorts done by
 * the database, a sweep's runs asked for by sweep, and every unknown parameter or value refused by name.
 */
class RunListTest extends ServerTestBase {
    private HttpResponse<String> list(String query) throws Exception {
        return send("GET", "/api/runs" + query, null);
    }

    private static long total(HttpResponse<String> r) {
        return Long.parseLong(r.headers().firstValue("X-Total-Count").orElseThrow());
    }

    private static List<Double> devs(JsonNode page) {
        List<Double> out = new ArrayList<>();
        page.forEach(r -> out.add(r.get("bestDev").asDouble()));
        return out;
    }

    @Test
    void tenThousandRunsComeAPageAtATimeFilteredAndSortedByTheDatabase() throws Exception {
        List<String> sweeps = ManyRuns.fill(server.store(), 19, 500, 500);
        HttpResponse<String> first = list("");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(10_000, total(first));
        JsonNode page = json(first);
        assertEquals(Limits.RUN_PAGE, page.size());
        assertTrue(first.body().length() < 200_000, "a page is " + first.body().length() + " bytes");
        for (int i = 1; i < page.size(); i++) {
            assertTrue(page.get(i - 1).get("created").asText().compareTo(page.get(i).get("created").asText()) >= 0,
                    "newest first");
        }
        long slowest = 0;
        for (int i = 0; i < 20; i++) { // loose: the bench gives the real figures
            long t0 = System.nanoTime();
            assertEquals(200, list("?sort=bestDev&devBelow=2.3&model=mlp").statusCode());
            slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
        }
        assertTrue(slowest < 1000, "a filtered page took " + slowest + " ms");

        // paging: the second page follows the first, without overlap
        JsonNode second = json(list("?offset=100"));
        Set<String> seen = new HashSet<>();
        page.forEach(r -> seen.add(r.get("id").asText()));
        second.forEach(r -> assertTrue(seen.add(r.get("id").asText()), "pages do not overlap"));
        assertTrue(page.get(99).get("created").asText().compareTo(second.get(0).get("created").asText()) >= 0);

        // sweeps: runs of no sweep alone, or one sweep's runs
        assertEquals(500, total(list("?inSweep=false")));
        HttpResponse<String> one = list("?sweep=" + sweeps.get(3) + "&limit=1000");
        assertEquals(500, total(one));
        json(one).forEach(r -> assertTrue(r.get("id").asText().startsWith("m003p"), r.toString()));

        // filters: model, status, name (or id), dev below, and their combination
        assertEquals(500 / 7 + 1, total(list("?model=ngram&inSweep=false")));
        assertEquals(50, total(list("?status=stopped")));
        assertEquals(9_950, total(list("?status=finished")));
        assertEquals(10_000, total(list("?status=stopped,finished")));
        assertEquals(167, total(list("?name=try")));
        assertEquals(1, total(list("?name=TRY%20498")));
        assertEquals(1, total(list("?name=loose00042")), "the name filter finds ids too");
        JsonNode below = json(list("?devBelow=2.2&sort=bestDev&limit=1000"));
        List<Double> d = devs(below);
        for (int i = 0; i < d.size(); i++) {
            assertTrue(d.get(i) < 2.2, "dev below 2.2: " + d.get(i));
            assertTrue(i == 0 || d.get(i - 1) <= d.get(i), "best dev first");
        }
        // top 5: the five lowest devs of all 10,000
        List<Double> top = devs(json(list("?sort=bestDev&limit=5")));
        List<Double> all = new ArrayList<>();
        for (int off = 0; off < 10_000; off += 1000) {
            all.addAll(devs(json(list("?limit=1000&offset=" + off))));
        }
        all.sort(Double::compare);
        assertEquals(all.subList(0, 5), top);
        assertEquals(10_000, all.size());
    }

    @Test
    void unknownParametersValuesAndTooLargePagesAreRefusedByName() throws Exception {
        String[][] bad = {
            {"?sortt=bestDev", "sortt", "no parameter 'sortt'"},
            {"?sort=loss", "sort", "created, bestDev or step"},
            {"?order=up", "order", "asc or desc"},
            {"?status=done", "status", "'done'"},
            {"?model=gpt", "model", "'gpt'"},
            {"?limit=" + (Limits.RUN_PAGE_MAX + 1), "limit", "1.." + Limits.RUN_PAGE_MAX},
            {"?limit=0", "limit", "1.." + Limits.RUN_PAGE_MAX},
            {"?offset=-1", "offset", "0 or more"},
            {"?devBelow=abc", "devBelow", "a number"},
            {"?inSweep=maybe", "inSweep", "true or false"},
        };
        for (String[] b : bad) {
            HttpResponse<String> r = list(b[0]);
            assertEquals(400, r.statusCode(), b[0] + ": " + r.body());
            assertEquals(b[1], json(r).get("field").asText(), r.body());
            assertTrue(json(r).get("error").asText().contains(b[2]), b[0] + ": " + r.body());
        }
        assertEquals(200, list("?limit=" + Limits.RUN_PAGE_MAX).statusCode(), "the largest page is taken");
    }
}
