package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page's everyday flows: train with sliders, explore counts, share links, upload, refuse bad values. */
class LabPageTest extends PageHarness {

    // ------------------------------------------------------------------------------------------------ flows

    /** 1. Set LR with the slider, train a small MLP: dev-loss points, samples and embedding points appear. */
    @Test
    void mlpTrainsWithSliderLearningRate() throws Exception {
        open(page, base + "/");
        page.locator("[data-model=mlp]").click();
        typeValue("hidden", "32");
        typeValue("steps", "300");
        assertThat(page.locator("#val-evalEvery")).hasValue("1000"); // steps never rewrite evalEvery behind one's back
        assertThat(page.locator("#hint-evalEvery")).containsText("1 evaluation");
        typeValue("evalEvery", "30");
        assertThat(page.locator("#hint-evalEvery")).containsText("10 evaluations");
        page.locator("#range-lr").fill("472"); // the log slider: position 472 of 1000 is lr 0.2
        assertThat(page.locator("#val-lr")).hasValue("0.2");
        page.locator("#train").click();

        assertThat(page.locator("#run-status")).hasText("finished", slow());
        String id = runIdFromUrl(page);
        assertThat(page.locator("#run-dev")).hasText(Pattern.compile("^dev \\d+\\.\\d{4}$"));
        int devPoints = Integer.parseInt(page.locator("#loss-chart").getAttribute("data-dev-points"));
        assertTrue(devPoints >= 10, "dev points on the chart: " + devPoints);
        assertTrue(page.locator("#loss-chart canvas").count() > 0, "the loss chart is drawn");
        assertTrue(page.locator("#samples li").count() >= 10, "samples are listed");
        assertThat(page.locator("#samples-note")).hasText(Pattern.compile("new \\(\\d+% novel\\)"));
        assertThat(page.locator("#embedding")).hasAttribute("data-points", "27");
        assertThat(page.locator("#runs tr[data-id='" + id + "']")).containsText("finished");

        JsonNode run = get("/api/runs/" + id);
        assertEquals(0.2, run.path("config").path("lr").asDouble(), 1e-12, "the slider's lr went into the run");
        assertEquals(32, run.path("config").path("hidden").asInt());
        assertEquals(300, run.path("step").asLong());

        // the probe answers for the finished run
        page.locator("#probe-word").fill("emma");
        page.locator("#probe-btn").click();
        assertThat(page.locator("#probe-nll")).hasText(Pattern.compile("NLL \\d+\\.\\d{4}"));
        assertEquals(5, page.locator("#probe-out .pc").count(), "e, m, m, a and the end marker");
        assertThat(page.locator("#probe-note")).containsText("best-dev parameters (step 300");
        page.locator("#probe-word").fill("Emma"); // any case: the names are lower case, so it is probed as emma
        assertThat(page.locator("#probe-out .pc")).hasCount(0); // a stale result goes as soon as the word changes
        allowStatus(400);
        page.locator("#probe-btn").click();
        assertThat(page.locator("#probe-nll")).containsText("probed as \"emma\"");
        assertEquals(5, page.locator("#probe-out .pc").count());
        assertThat(page.locator("#loss-chart")).hasAttribute("data-penalty-points", "0"); // l2 = 0: no penalty series
        page.locator("#ema").fill("0.5");
        assertThat(page.locator("#ema-val")).hasText("0.50");
        page.locator("#logy").check();
        page.locator("#loss-chart").hover();
        assertThat(page.locator("#loss-chart .u-legend")).containsText("step");
        screenshot(page, "trained");
    }

    /** 2. Count bigram: moving smoothing re-scores the dev NLL without training, and the heatmap is drawn. */
    @Test
    void countBigramSmoothingRescoresLive() {
        open(page, base + "/");
        page.locator("[data-model=ngram]").click();
        Locator dev = page.locator("#ngram-dev");
        assertThat(dev).hasText(Pattern.compile("^\\d+\\.\\d{4}$"));
        assertThat(page.locator("#heatmap")).hasAttribute("data-cells", "729");
        String before = dev.textContent();
        long postsBefore = requests.stream().filter(r -> r.startsWith("POST")).count();

        page.locator("#range-smoothing").fill("950"); // large k: flatter distribution, worse dev NLL
        assertThat(page.locator("#ngram-k")).not().hasText("1");
        assertThat(dev).not().hasText(before);
        String after = dev.textContent();
        assertTrue(Double.parseDouble(after) > Double.parseDouble(before), before + " -> " + after);
        assertEquals(postsBefore, requests.stream().filter(r -> r.startsWith("POST")).count(), "no Train press needed");

        // the heatmap has real contents: many distinct colours, not a blank canvas
        Object colours = page.evaluate("() => { const c = document.getElementById('heatmap');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const s = new Set();"
                + " for (let i = 0; i < d.length; i += 4 * 97) s.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]); return s.size; }");
        assertTrue(((Number) colours).intValue() > 20, "distinct colours in the heatmap: " + colours);
        assertThat(page.locator("#ngram-samples li")).hasCount(10);
        Object hidden = page.evaluate("() => { const list = document.getElementById('ngram-samples').getBoundingClientRect();"
                + " return [...document.querySelectorAll('#ngram-samples li')].filter(li => { const r = li.getBoundingClientRect();"
                + " return r.height === 0 || r.bottom > list.bottom + 1 || r.right > list.right + 1; }).length; }");
        assertEquals(0, ((Number) hidden).intValue(), "every n-gram sample is visible");
        page.locator("#heat-mode [data-mode=probs]").click();
        assertThat(page.locator("#heatmap")).hasAttribute("data-mode", "probs");
        page.locator("#heat-mode [data-mode=counts]").click();
        page.locator("#kplot").scrollIntoViewIfNeeded();
        screenshot(page, "ngram");
    }

    /** 3. Copy a run's link and open it in a fresh browser context: the same run, same final dev loss. */
    @Test
    void copiedRunLinkShowsTheSameRun() throws Exception {
        open(page, base + "/");
        page.locator("[data-model=neural]").click();
        typeValue("steps", "40");
        typeValue("evalEvery", "10");
        page.locator("#train").click();
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        String devText = page.locator("#run-dev").textContent();
        int penalty = Integer.parseInt(page.locator("#loss-chart").getAttribute("data-penalty-points"));
        assertTrue(penalty >= 40, "the neural n-gram's L2 penalty is its own series: " + penalty);
        assertTrue(devText.matches("dev \\d+\\.\\d{4}"), devText);
        String id = runIdFromUrl(page);

        page.locator("#copy-link").click();
        String link = page.locator("#share-url").inputValue();
        assertEquals(base + "/#/runs/" + id, link);

        BrowserContext other = newContext();
        try {
            Page viewer = watch(other.newPage());
            open(viewer, link);
            assertThat(viewer.locator("#run-status")).hasText("finished", slow());
            assertThat(viewer.locator("#run-dev")).hasText(devText);
            assertThat(viewer.locator("#form-origin")).containsText("from run " + id);
            assertFalse(viewer.locator("#stop").isEnabled(), "nothing to stop: the run has ended");
            assertThat(viewer.locator("[data-model=neural]")).hasAttribute("aria-checked", "true");
            assertThat(viewer.locator("#val-steps")).hasValue("40");
            screenshot(viewer, "shared");

            // the re-run link carries the config itself
            page.locator("#copy-rerun").click();
            String rerun = page.locator("#share-url").inputValue();
            assertTrue(rerun.startsWith(base + "/#/new?config="), rerun);
            assertTrue(rerun.contains("sha256=" + get("/api/datasets").get(0).path("sha256").asText()), rerun);
            open(viewer, rerun);
            assertThat(viewer.locator("#mode-text")).containsText("Re-run link");
            assertThat(viewer.locator("#val-steps")).hasValue("40");
            assertThat(viewer.locator("#val-lr")).hasValue("50");
        } finally {
            other.close();
        }
    }

    /** 4. An uploaded dataset full of HTML is shown as text; nothing runs, no dialog fires. */
    @Test
    void uploadedHtmlIsShownAsText() {
        allowStatus(400); // the too-small file below is refused on purpose
        open(page, base + "/");
        page.locator("#upload-file").setInputFiles(new FilePayload("tiny.txt", "text/plain",
                "ann\nbob\ncid\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(page.locator("#err-dataset")).containsText("at least 10");

        String payload = "<img src=x onerror=alert(1)>";
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lines.add(payload);
            lines.add("<script>alert(" + i + ")</script>");
            lines.add("<b onmouseover=alert(1)>name" + i + "</b>");
        }
        page.locator("#upload-file").setInputFiles(new FilePayload("<svg onload=alert(1)>.txt", "text/plain",
                String.join("\n", lines).getBytes(StandardCharsets.UTF_8)));
        assertThat(page.locator("#upload-summary")).containsText("36 items");
        assertThat(page.locator("#err-dataset")).isHidden();
        assertThat(page.locator("#upload-preview li").first()).hasText(payload);
        assertThat(page.locator("#dataset option:checked")).containsText("<svg onload=alert(1)>.txt");

        page.locator("[data-model=ngram]").click();
        assertThat(page.locator("#ngram-dev")).hasText(Pattern.compile("^\\d+\\.\\d{4}$"));
        assertTrue(page.locator("#ngram-samples li").count() >= 5);
        assertThat(page.locator("#ngram-samples")).containsText("<");
        page.waitForTimeout(300); // give any injected handler the chance to fire
        assertEquals(0, page.locator("img, svg, b").count(), "no element was created from the dataset");
        assertEquals(0, page.locator("body script:not([src])").count(), "no inline script was created");
        screenshot(page, "upload");
    }

    /** 5. Invalid values: an inline error and no request; what only the server can judge comes back as a 400. */
    @Test
    void invalidValuesAreReportedInline() {
        allowStatus(400);
        open(page, base + "/");
        page.locator("[data-model=mlp]").click();
        typeValue("lr", "abc");
        assertThat(page.locator("#err-lr")).containsText("not a number");
        assertTrue(page.locator("#train").isDisabled());
        typeValue("lr", "5000");
        assertThat(page.locator("#err-lr")).containsText("learning rate must be in (0, 1000]");
        typeValue("hidden", "2.5");
        assertThat(page.locator("#err-hidden")).containsText("whole number");
        assertThat(page.locator("#train-note")).containsText("fix");
        typeValue("hidden", "32");
        typeValue("lr", "0.1");
        typeValue("steps", "2000000");
        assertThat(page.locator("#err-evalEvery")).containsText("at least 2,000 for 2,000,000 steps");
        assertThat(page.locator("#val-evalEvery")).hasValue("1000");
        assertTrue(page.locator("#train").isDisabled());
        typeValue("evalEvery", "5000");
        assertThat(page.locator("#err-evalEvery")).isHidden();
        assertTrue(page.locator("#train").isEnabled());
        assertFalse(requests.stream().anyMatch(r -> r.startsWith("POST ") && r.endsWith("/api/runs")),
                "no run was requested: " + requests);
        screenshot(page, "client");

        // a config the page cannot judge (a field it does not know) goes to the server, whose 400 is shown
        String cfg = "{\"model\":\"mlp\",\"steps\":5,\"hidden\":8,\"frobnicate\":1}";
        open(page, base + "/#/new?config=" + URLEncoder.encode(cfg, StandardCharsets.UTF_8).replace("+", "%20"));
        page.reload();
        assertThat(page.locator("#mode-text")).containsText("Re-run link");
        page.locator("#banner-train").click();
        assertThat(page.locator("#err-config")).containsText("400");
        assertThat(page.locator("#err-config")).containsText("unknown field 'frobnicate'");
    }

    /**
     * 6. Before Train the form shows how long its run would take here, following every change; the huge MLP
     * (a minute a step) is refused next to Train, naming what drives it, and nothing is created.
     */
    @Test
    void theEstimateShowsBeforeTrainAndAHugeConfigIsRefused() {
        allowStatus(400); // the huge config's estimate is refused on purpose
        open(page, base + "/");
        page.locator("[data-model=mlp]").click();
        Locator estimate = page.locator("#train-estimate");
        assertThat(estimate).hasText(Pattern.compile("^about .+ on this machine$"));
        typeValue("hidden", "64");
        typeValue("steps", "1000");
        assertThat(estimate).hasText(Pattern.compile("^about [0-9.]+ (ms|s) on this machine$"));
        String small = estimate.textContent();
        typeValue("steps", "1000000");
        assertThat(estimate).hasText(Pattern.compile("^about [0-9.,]+ (min|h) on this machine$"));
        assertFalse(small.equals(estimate.textContent()));

        typeValue("steps", "20000");
        typeValue("hidden", "4096");
        typeValue("embDim", "512");
        typeValue("context", "16");
        typeValue("batch", "4096");
        assertThat(estimate).containsText("the limit is 24 h");
        assertThat(estimate).containsText("lower hidden");
        assertThat(estimate).hasClass(Pattern.compile("\\bover\\b"));
        screenshot(page, "estimate-refused");
        typeValue("batch", "32");
        typeValue("hidden", "64");
        assertThat(estimate).hasText(Pattern.compile("^about .+ on this machine$"));
        assertThat(estimate).not().hasClass(Pattern.compile("\\bover\\b"));
        assertFalse(requests.stream().anyMatch(r -> r.startsWith("POST ") && r.endsWith("/api/runs")),
                "an estimate creates no run: " + requests);
    }

    /** A model the server adds shows up with its controls (int, float, choice, bool, showIf): no page change. */
    @Test
    void aModelTheServerAddsAppearsWithItsControls() {
        String toy = "{\"name\":\"toy\",\"title\":\"Toy RNN\",\"help\":\"a gated recurrent net\",\"trainable\":true,"
                + "\"fields\":[{\"name\":\"layers\",\"label\":\"layers\",\"type\":\"int\",\"default\":2,\"min\":1,"
                + "\"minOpen\":false,\"max\":8,\"scale\":\"lin\",\"live\":false,\"help\":\"stacked cells\"},"
                + "{\"name\":\"optimizer\",\"label\":\"optimizer\",\"type\":\"choice\",\"default\":\"sgd\","
                + "\"minOpen\":false,\"choices\":[\"sgd\",\"adamw\"],\"live\":false,\"help\":\"update rule\"},"
                + "{\"name\":\"beta1\",\"label\":\"beta1\",\"type\":\"float\",\"default\":0.9,\"min\":0,\"minOpen\":false,"
                + "\"max\":0.999,\"scale\":\"lin\",\"showIf\":{\"optimizer\":[\"adamw\"]},\"live\":false,\"help\":\"Adam\"},"
                + "{\"name\":\"batchnorm\",\"label\":\"batch norm\",\"type\":\"bool\",\"default\":true,\"minOpen\":false,"
                + "\"live\":false,\"help\":\"normalise activations\"}]}";
        page.route("**/api/models", route -> {
            var real = route.fetch();
            String body = real.text().trim();
            route.fulfill(new com.microsoft.playwright.Route.FulfillOptions().setResponse(real)
                    .setBody(body.substring(0, body.length() - 1) + "," + toy + "]"));
        });
        allowStatus(400); // this server has no model 'toy': its estimate and its Train are refused, by name
        open(page, base + "/");
        page.locator("[data-model=toy]").click();
        assertThat(page.locator("#model-note")).hasText("a gated recurrent net");
        assertThat(page.locator("#val-layers")).hasValue("2");
        assertEquals("checkbox", page.locator("#val-batchnorm").getAttribute("type"));
        assertTrue(page.locator("#val-batchnorm").isChecked());
        assertThat(page.locator("#val-optimizer option")).hasCount(2);
        assertTrue(page.locator("#val-beta1").isHidden(), "beta1 only matters for adamw");
        page.locator("#val-optimizer").selectOption("adamw");
        assertTrue(page.locator("#val-beta1").isVisible());
        typeValue("layers", "9");
        assertThat(page.locator("#err-layers")).containsText("layers must be in [1, 8]");
        typeValue("layers", "3");
        page.locator("#val-batchnorm").uncheck();
        page.locator("#train").click();
        assertThat(page.locator("#err-config")).containsText("model");
        screenshot(page, "new-model");
    }
}
