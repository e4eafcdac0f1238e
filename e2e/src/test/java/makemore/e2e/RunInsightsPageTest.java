package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import org.junit.jupiter.api.Test;

/**
 * What a run's evaluations leave besides the loss (issue 17, items 5, 7, 8): the tanh saturation images and the note
 * that fits the model, the hardest and easiest dev names with their history and explanation, and dev NLL by
 * position for one run and over several in compare.
 */
class RunInsightsPageTest extends PageHarness {

    @Test
    void saturationNamesAndLossByPositionOfANaiveMlpOnAPhone() throws Exception {
        page.setViewportSize(390, 900);
        String id = trainedRun("{\"model\":\"mlp\",\"init\":\"naive\",\"hidden\":32,\"steps\":200,\"evalEvery\":100,"
                + "\"sampleEvery\":0}");
        JsonNode run = get("/api/runs/" + id);
        open(page, base + "/#/runs/" + id);
        assertThat(page.locator("#run-status")).hasText("finished");

        // saturation: step 0 and the latest evaluation, the dead counts those the server stored
        Locator figs = page.locator("#health-sat-images figure");
        assertThat(figs).hasCount(2);
        JsonNode series = run.path("health").path("series");
        JsonNode first = series.get(0).path("layers").get(1).path("image");
        JsonNode lastImage = series.get(series.size() - 1).path("layers").get(1).path("image");
        assertThat(figs.nth(0)).hasAttribute("data-step", "0");
        assertThat(figs.nth(0)).hasAttribute("data-dead", first.path("dead").asText());
        assertThat(figs.nth(0).locator("canvas")).hasAttribute("data-cells", first.path("saturatedCells").asText());
        assertThat(figs.nth(1)).hasAttribute("data-step", "200");
        assertThat(figs.nth(1)).hasAttribute("data-dead", lastImage.path("dead").asText());
        page.locator("#health-sat-step").selectOption("100");
        assertThat(figs.nth(1)).hasAttribute("data-step", "100");
        assertThat(page.locator("#health-note")).containsText("tanh");

        // hardest and easiest: the stored lists, a click shows the name's history and its strip
        JsonNode names = run.path("devNames").get(run.path("devNames").size() - 1);
        Locator hard = page.locator("#names-hard .name-pick");
        assertThat(hard).hasCount(20);
        assertThat(page.locator("#names-easy .name-pick")).hasCount(20);
        String hardest = names.path("hardest").get(0).path("text").asText();
        assertThat(hard.nth(0)).hasAttribute("data-text", hardest);
        hard.nth(0).click();
        assertThat(page.locator("#names-explain")).hasAttribute("data-state", "shown", slowAttr());
        assertThat(page.locator("#names-explain .x-text")).hasText("\"" + hardest + "\"");
        JsonNode points = JSON.readTree(page.locator("#names-chart").getAttribute("data-points"));
        assertTrue(points.size() >= 1 && points.size() <= 2, points.toString());
        assertEquals(200, points.get(points.size() - 1).get(0).asLong());
        assertEquals(names.path("hardest").get(0).path("nll").asDouble(), points.get(points.size() - 1).get(1).asDouble(), 1e-9);

        // loss by position: the API's values on the chart
        JsonNode api = get("/api/runs/" + id + "/loss-by-position");
        assertThat(page.locator("#position-chart")).hasAttribute("data-values", java.util.regex.Pattern.compile(".+"), slowAttr());
        JsonNode shown = JSON.readTree(page.locator("#position-chart").getAttribute("data-values"));
        assertEquals(api.path("positions").size(), shown.size());
        for (int i = 0; i < shown.size(); i++) {
            assertEquals(api.path("positions").get(i).path("nll").asDouble(), shown.get(i).asDouble(), 1e-9);
        }
        Number overflow = (Number) page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertEquals(0, overflow.intValue(), "the run view overflows at 390 px");
        screenshot(page, "run-insights-390");
    }

    @Test
    void aTransformerGetsItsOwnNoteAndCompareOverlaysLossByPosition() throws Exception {
        page.setViewportSize(1440, 900);
        String tf = trainedRun("{\"model\":\"transformer\",\"layers\":1,\"heads\":2,\"embDim\":8,\"steps\":20,"
                + "\"evalEvery\":10,\"sampleEvery\":0}");
        String mlp = trainedRun("{\"model\":\"mlp\",\"hidden\":16,\"steps\":20,\"evalEvery\":20,\"sampleEvery\":0}");
        open(page, base + "/#/runs/" + tf);
        assertThat(page.locator("#run-status")).hasText("finished");
        assertThat(page.locator("#health-panel")).isVisible();
        assertThat(page.locator("#health-note")).containsText("LayerNorm");
        String note = page.locator("#health-note").textContent();
        assertFalse(note.contains("tanh") || note.contains("Kaiming"), note);
        assertThat(page.locator("#health-sat")).isHidden();
        assertThat(page.locator("#names-hard .name-pick")).hasCount(20);

        open(page, base + "/#/compare?ids=" + tf + "," + mlp);
        Locator chart = page.locator("#compare-position-chart");
        assertThat(chart).hasAttribute("data-values", java.util.regex.Pattern.compile(".*" + mlp + ".*"), slowAttr());
        JsonNode shown = JSON.readTree(chart.getAttribute("data-values"));
        for (String id : new String[] {tf, mlp}) {
            JsonNode api = get("/api/runs/" + id + "/loss-by-position").path("positions");
            JsonNode values = shown.path(id);
            assertEquals(api.size(), values.size(), id);
            for (int i = 0; i < api.size(); i++) {
                assertEquals(api.get(i).path("nll").asDouble(), values.get(i).asDouble(), 1e-9, id + " position " + i);
            }
        }
        screenshot(page, "compare-position-1440");
    }
}
