package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The layer-health panel: recorded and live runs, many layers, focusing on some. */
class HealthPanelTest extends PageHarness {

    /**
     * The layer-health panel from a run record recorded on the health backend (health-run.json: an MLP with naive
     * init, health at steps 0..300), served on a routed run socket: per-layer series over steps, the statistic
     * switch, the update ratio per weight matrix, histograms; a live health event adds a step. A run without
     * health (a count model) hides the panel.
     */
    @Test
    void layerHealthPanelDrawsRecordedHealthAndHidesWithout() throws Exception {
        String recorded = new String(getClass().getResourceAsStream("/health-run.json").readAllBytes(), StandardCharsets.UTF_8);
        JsonNode run = JSON.readTree(recorded);
        java.util.concurrent.atomic.AtomicReference<com.microsoft.playwright.WebSocketRoute> socket = new java.util.concurrent.atomic.AtomicReference<>();
        page.routeWebSocket(java.util.regex.Pattern.compile(".*/ws/runs/healthfixture$"), ws -> {
            socket.set(ws);
            ws.send("{\"type\":\"snapshot\",\"run\":" + recorded + "}");
        });
        // the recorded run lives on the routed socket only: its loss by position is served beside it
        page.route("**/api/runs/healthfixture/loss-by-position", r -> r.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                .setContentType("application/json").setBody("{\"run\":\"healthfixture\",\"split\":\"dev\",\"nll\":2.5,"
                        + "\"positions\":[{\"position\":\"1\",\"nll\":3.0,\"tokens\":1},{\"position\":\"end\",\"nll\":2.0,\"tokens\":1}]}")));
        open(page, base + "/#/runs/healthfixture");
        Locator panel = page.locator("#health-panel");
        assertThat(panel).isVisible();
        assertThat(page.locator("#health-chart")).hasAttribute("data-points", "4");
        assertThat(page.locator("#health-chart")).hasAttribute("data-series", "2"); // embedding and the tanh layer
        assertThat(page.locator("#health-step")).hasText("latest: step 300");
        assertThat(page.locator("#health-sat")).isHidden(); // recorded before the saturation image was measured
        page.locator("#health-metric [data-metric=saturated]").click();
        assertThat(page.locator("#health-chart")).hasAttribute("data-series", "1"); // only tanh layers saturate
        assertThat(page.locator("#health-chart .u-legend")).containsText("hidden");
        page.locator("#health-metric [data-metric=updateRatio]").click();
        assertThat(page.locator("#health-chart")).hasAttribute("data-series",
                String.valueOf(run.path("health").path("latest").path("weights").size()));
        assertThat(page.locator("#health-act")).hasAttribute("data-layers", "2");
        assertThat(page.locator("#health-grad")).hasAttribute("data-layers", "2");
        double saturated = run.path("health").path("latest").path("layers").path(1).path("saturated").asDouble();
        assertThat(page.locator("#health-legend")).containsText(String.format("saturated %.1f%%", saturated));
        screenshot(page, "health");
        for (int width : new int[] {390, 1024, 1480}) {
            page.setViewportSize(width, 900);
            open(page, base + "/#/runs/healthfixture");
            assertThat(page.locator("#health-act")).hasAttribute("data-layers", "2");
            page.waitForTimeout(300); // charts follow their box on the next frame
            Number overflow = (Number) page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertEquals(0, overflow.intValue(), "the health panel overflows at " + width + " px");
        }

        // a live health event on the socket: one more step on the chart
        JsonNode latest = run.path("health").path("latest");
        String event = latest.toString().replaceFirst("\"step\":300", "\"step\":400");
        socket.get().send(event);
        assertThat(page.locator("#health-chart")).hasAttribute("data-points", "5");
        assertThat(page.locator("#health-step")).hasText("latest: step 400");

        // focus on a layer: hiding the embedding (activations out to 2.74) leaves the tanh layer alone on its own
        // axis, in the histograms and on the chart; the choice holds through a live event of the same run
        Locator act = page.locator("#health-act");
        Locator grad = page.locator("#health-grad");
        JsonNode hists = latest.path("histograms");
        page.locator("#health-metric [data-metric=std]").click();
        assertThat(page.locator("#health-chart")).hasAttribute("data-shown", "2");
        assertThat(act).hasAttribute("data-range", fmt(hists.path(0).path("lo").asDouble()) + "," + fmt(hists.path(0).path("hi").asDouble()));
        Locator embedding = page.locator("#health-legend li[data-layer=embedding] button");
        embedding.click();
        assertThat(act).hasAttribute("data-layers", "1");
        assertThat(grad).hasAttribute("data-layers", "1");
        assertThat(act).hasAttribute("data-range", "-1,1"); // tanh
        assertThat(grad).hasAttribute("data-range", fmt(hists.path(3).path("lo").asDouble()) + "," + fmt(hists.path(3).path("hi").asDouble()));
        assertThat(page.locator("#health-chart")).hasAttribute("data-series", "2");
        assertThat(page.locator("#health-chart")).hasAttribute("data-shown", "1");
        assertThat(embedding).hasAttribute("aria-pressed", "false");
        assertThat(page.locator("#health-show-all")).isVisible();
        socket.get().send(latest.toString().replaceFirst("\"step\":300", "\"step\":500"));
        assertThat(page.locator("#health-step")).hasText("latest: step 500");
        assertThat(act).hasAttribute("data-layers", "1");
        assertThat(page.locator("#health-chart")).hasAttribute("data-shown", "1");
        assertThat(page.locator("#health-legend li[data-layer=embedding] button")).hasAttribute("aria-pressed", "false");

        // another run opened in the same page (a hash change, no reload) ends the choice
        String counts = trainedRun("{\"model\":\"ngram\",\"context\":1}");
        page.evaluate("id => { location.hash = '#/runs/' + id; }", counts);
        assertThat(page.locator("#run-status")).hasText("finished");
        assertThat(panel).isHidden();
        page.evaluate("() => { location.hash = '#/runs/healthfixture'; }");
        assertThat(panel).isVisible();
        assertThat(act).hasAttribute("data-layers", "2");
        assertThat(page.locator("#health-show-all")).isHidden();
        assertThat(page.locator("#health-legend li[data-layer=embedding] button")).hasAttribute("aria-pressed", "true");
    }

    /**
     * A stored 4-block transformer's health: twelve tapped layers (attention, GELU and residual stream per block), all
     * listed, each with its own colour although the palette has ten.
     */
    @Test
    void transformerHealthListsEveryBlocksLayersInDistinctColours() throws Exception {
        String id = trainedRun("{\"model\":\"transformer\",\"layers\":4,\"heads\":2,\"embDim\":8,\"steps\":10,"
                + "\"evalEvery\":10,\"sampleEvery\":0}");
        open(page, base + "/#/runs/" + id);
        assertThat(page.locator("#run-status")).hasText("finished");
        assertThat(page.locator("#health-act")).hasAttribute("data-layers", "12");
        Locator items = page.locator("#health-legend li");
        assertThat(items).hasCount(12);
        assertThat(items.nth(0)).containsText("block 1 attn (attention)");
        assertThat(items.nth(11)).containsText("block 4 out (residual)");
        java.util.Set<Object> colours = new java.util.HashSet<>(page.locator("#health-legend .swatch")
                .evaluateAll("els => els.map(e => getComputedStyle(e).backgroundColor)") instanceof java.util.List<?> l ? l
                : java.util.List.of());
        assertEquals(12, colours.size(), "legend colours: " + colours);
        screenshot(page, "transformer-health");

        // focus: the four residual streams hidden from the legend leave eight layers, on a narrower x-axis
        Locator act = page.locator("#health-act");
        Locator grad = page.locator("#health-grad");
        Locator chart = page.locator("#health-chart");
        assertThat(grad).hasAttribute("data-layers", "12");
        assertThat(chart).hasAttribute("data-shown", "12");
        double[] act12 = range(act);
        double[] grad12 = range(grad);
        Locator residual = items.filter(new Locator.FilterOptions().setHasText("out (residual)"));
        assertThat(residual).hasCount(4);
        for (int i = 0; i < 4; i++) {
            residual.nth(i).locator("button").click();
        }
        assertThat(act).hasAttribute("data-layers", "8");
        assertThat(grad).hasAttribute("data-layers", "8");
        assertThat(chart).hasAttribute("data-series", "12");
        assertThat(chart).hasAttribute("data-shown", "8");
        assertThat(page.locator("#health-legend li[data-hidden]")).hasCount(4);
        assertThat(residual.nth(3).locator("button")).hasAttribute("aria-pressed", "false");
        double[] act8 = range(act);
        double[] grad8 = range(grad);
        assertTrue(act8[0] >= act12[0] && act8[1] <= act12[1] && act8[1] - act8[0] < act12[1] - act12[0],
                "activations' x-range narrows: " + Arrays.toString(act12) + " -> " + Arrays.toString(act8));
        assertTrue(grad8[0] >= grad12[0] && grad8[1] <= grad12[1],
                "gradients' x-range does not widen: " + Arrays.toString(grad12) + " -> " + Arrays.toString(grad8));
        screenshot(page, "transformer-health-focused");
        page.locator("#health-show-all").click();
        assertThat(act).hasAttribute("data-layers", "12");
        assertThat(grad).hasAttribute("data-layers", "12");
        assertThat(chart).hasAttribute("data-shown", "12");
        assertThat(page.locator("#health-legend li[data-hidden]")).hasCount(0);
        assertThat(page.locator("#health-show-all")).isHidden();
        assertEquals(Arrays.toString(act12), Arrays.toString(range(act)));
        // a series hidden from the chart's own legend leaves the histograms and the list too
        page.locator("#health-chart .u-legend .u-series").filter(new Locator.FilterOptions().setHasText("block 1 attn"))
                .locator("th").click();
        assertThat(chart).hasAttribute("data-shown", "11");
        assertThat(act).hasAttribute("data-layers", "11");
        assertThat(items.nth(0).locator("button")).hasAttribute("aria-pressed", "false");
        assertThat(page.locator("#health-show-all")).isVisible();
    }

    /** A histogram canvas's x-axis end labels (its data-range, "lo,hi"). */
    private static double[] range(Locator canvas) {
        String[] r = canvas.getAttribute("data-range").split(",");
        return new double[] {Double.parseDouble(r[0]), Double.parseDouble(r[1])};
    }

    /**
     * Layer health of a real run, streamed while it trains: an MLP with naive init trained from the page gets one
     * health point per evaluation (and step 0) on the chart, the legend shows the server's numbers, and its tanh
     * layer starts far more saturated than a Kaiming-initialised twin's. A server without the MLP's `init` field
     * fails it.
     */
    @Test
    void layerHealthOfARealRunStreamsAndShowsNaiveInitSaturating() throws Exception {
        boolean hasHealth = false;
        for (JsonNode m : get("/api/models")) {
            if (m.path("name").asText().equals("mlp")) {
                for (JsonNode f : m.path("fields")) {
                    hasHealth |= f.path("name").asText().equals("init");
                }
            }
        }
        assertTrue(hasHealth, "the MLP offers the init field whose naive setting this flow shows saturating");
        open(page, base + "/");
        page.locator("[data-model=mlp]").click();
        typeValue("hidden", "64");
        typeValue("steps", "3000");
        typeValue("evalEvery", "500");
        page.locator("#val-init").selectOption("naive");
        page.locator("#train").click();
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        String id = runIdFromUrl(page);
        JsonNode health = get("/api/runs/" + id).path("health");
        assertEquals(7, health.path("series").size(), "health at step 0 and at each of 6 evaluations");
        assertThat(page.locator("#health-panel")).isVisible();
        assertThat(page.locator("#health-chart")).hasAttribute("data-points", "7");
        JsonNode tanh = null;
        for (JsonNode l : health.path("latest").path("layers")) {
            if (!l.path("saturated").isNull()) {
                tanh = l;
            }
        }
        assertTrue(tanh != null, "a tanh layer: " + health.path("latest"));
        assertThat(page.locator("#health-legend")).containsText(String.format("saturated %.1f%%", tanh.path("saturated").asDouble()));
        page.locator("#health-metric [data-metric=updateRatio]").click();
        assertThat(page.locator("#health-chart .u-legend")).containsText(health.path("latest").path("weights").path(0).path("name").asText());
        screenshot(page, "health-live");

        String kaiming = trainedRun("{\"model\":\"mlp\",\"hidden\":64,\"steps\":500,\"evalEvery\":500,\"init\":\"kaiming\"}");
        double naive0 = saturatedAtStep0(health);
        double kaiming0 = saturatedAtStep0(get("/api/runs/" + kaiming).path("health"));
        assertTrue(naive0 > 2 * kaiming0 + 5, "naive init saturates tanh at step 0: " + naive0 + "% vs kaiming " + kaiming0 + "%");
    }

    private static double saturatedAtStep0(JsonNode health) {
        for (JsonNode l : health.path("series").path(0).path("layers")) {
            if (!l.path("saturated").isNull()) {
                return l.path("saturated").asDouble();
            }
        }
        throw new AssertionError("no tanh layer at step 0: " + health);
    }

    /**
     * Lecture 3's first check: a naive-init MLP starts far above the uniform loss (overconfident logits) and the run
     * view says so and how to fix it; Kaiming init starts near uniform and gets no note.
     */
    @Test
    void aLossFarAboveUniformAtInitGetsLecture3sNote() throws Exception {
        String naive = trainedRun("{\"model\":\"mlp\",\"init\":\"naive\",\"hidden\":64,\"steps\":200,\"evalEvery\":200}");
        String kaiming = trainedRun("{\"model\":\"mlp\",\"init\":\"kaiming\",\"hidden\":64,\"steps\":200,\"evalEvery\":200}");
        JsonNode first = get("/api/runs/" + naive).path("progress").path(0);
        assertEquals(1, first.path("step").asLong(), "the first point is the first step's batch: the loss at init");
        assertTrue(first.path("trainLoss").asDouble() > Math.log(27) + 0.5, first.toString());
        open(page, base + "/#/runs/" + naive);
        assertThat(page.locator("#init-note")).isVisible();
        assertThat(page.locator("#init-note")).containsText("overconfident");
        assertThat(page.locator("#init-note")).containsText("kaiming");
        assertThat(page.locator("#init-note")).containsText(String.format(java.util.Locale.ROOT, "%.2f", Math.log(27)));
        open(page, base + "/#/runs/" + kaiming);
        assertThat(page.locator("#run-status")).hasText("finished");
        double k0 = get("/api/runs/" + kaiming).path("progress").path(0).path("trainLoss").asDouble();
        assertTrue(k0 < Math.log(27) + 0.5, "Kaiming starts near uniform: " + k0);
        assertThat(page.locator("#init-note")).isHidden();
    }
}
