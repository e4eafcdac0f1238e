package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Control lives on the server: any tab, after any reload, can steer, stop, sample, score and re-run any run. */
class RunControlPageTest extends PageHarness {
    static final String LONG_MLP = "{\"model\":\"mlp\",\"steps\":200000,\"hidden\":16,\"evalEvery\":50000}";

    /** Reload mid-run, steer the learning rate, stop it from a second tab; a second run waits and says where. */
    @Test
    void reloadMidRunThenSteerAndStopFromAnotherTab() throws Exception {
        open(page, base + "/");
        page.locator("[data-model=mlp]").click();
        typeValue("hidden", "16");
        typeValue("steps", "200000");
        typeValue("evalEvery", "50000");
        page.locator("#train").click();
        assertThat(page.locator("#run-status")).hasText("running", slow());
        String id = runIdFromUrl(page);
        // trainers are busy (CI has one): the next run is queued, and the page says where it waits
        int slots = makemore.lab.RunService.defaultConcurrency();
        for (int i = 1; i < slots; i++) {
            send("POST", "/api/runs", LONG_MLP);
        }
        page.locator("#train").click();
        assertThat(page.locator("#run-status")).hasText("queued", slow());
        String queued = runIdFromUrl(page);
        assertThat(page.locator("#run-message")).containsText("1st in line");
        page.goBack();
        assertThat(page.locator("#run-id")).containsText(id);

        page.reload();
        assertThat(page.locator("#run-status")).hasText("running", slow());
        assertThat(page.locator("#run-step")).not().hasText("step 0 / 200,000", slow());
        page.locator("#steer-range-lr").fill("400"); // lr 0.063, sent over the socket from the reloaded page
        assertThat(page.locator("#steer-val-lr")).hasValue("0.063");
        assertThat(page.locator("#loss-chart")).hasAttribute("data-lr-changes", "1", slowAttr());
        assertThat(page.locator("#steer-note")).containsText("sent");
        assertThat(page.locator("#run-eta")).hasText(Pattern.compile("ETA \\d"), slow());
        screenshot(page, "steered");

        // zoom in on the chart: live updates keep the zoom; double-click goes back to everything
        var box = page.locator("#loss-chart .u-over").boundingBox();
        page.mouse().move(box.x + box.width * 0.2, box.y + box.height / 2);
        page.mouse().down();
        page.mouse().move(box.x + box.width * 0.6, box.y + box.height / 2, new Mouse.MoveOptions().setSteps(5));
        page.mouse().up();
        assertThat(page.locator("#loss-chart")).hasAttribute("data-zoomed", "true");
        String xmax = page.locator("#loss-chart").getAttribute("data-xmax");
        String step = page.locator("#run-step").textContent();
        assertThat(page.locator("#run-step")).not().hasText(step, slow());
        page.waitForTimeout(300);
        assertEquals(xmax, page.locator("#loss-chart").getAttribute("data-xmax"), "the zoom survives live updates");
        assertTrue(page.locator("#zoom-reset").isEnabled());
        page.locator("#loss-chart .u-over").dblclick();
        assertThat(page.locator("#loss-chart")).hasAttribute("data-zoomed", "false");

        Page second = watch(context.newPage());
        open(second, base + "/#/runs/" + id);
        assertThat(second.locator("#run-status")).hasText("running", slow());
        second.locator("#stop").click();
        assertThat(second.locator("#run-status")).hasText("stopped", slow());
        assertThat(page.locator("#run-status")).hasText("stopped", slow());
        assertThat(page.locator("#run-message")).not().containsText("stopped: stopped");
        JsonNode run = get("/api/runs/" + id);
        assertEquals(0.063, run.path("lrChanges").path(0).path("lr").asDouble(), 1e-12);
        Set<String> seen = new HashSet<>();
        for (JsonNode e : run.path("evals")) {
            assertTrue(seen.add(e.path("step").asLong() + e.path("split").asText()), "evaluated twice: " + e);
        }
        stopLiveRuns();
        open(second, base + "/#/runs/" + queued);
        assertThat(second.locator("#run-status")).hasText("stopped", slow());
    }

    /** A stored run opened from a link: fresh samples at other temperatures append, the test score is taken once. */
    @Test
    void storedRunResamplesAtAnotherTemperatureAndScoresTestOnce() throws Exception {
        String id = trainedRun("{\"model\":\"mlp\",\"steps\":300,\"evalEvery\":100,\"hidden\":16}");
        open(page, base + "/#/runs/" + id);
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        assertThat(page.locator("#samples")).hasAttribute("data-count", "20");
        sampleMore("0.5", "40");
        sampleMore("2", "60");
        assertThat(page.locator("#samples-note")).containsText("+20 at T=0.5 · +20 at T=2");
        page.locator("#test-btn").click();
        page.locator("#test-confirm").click();
        assertThat(page.locator("#test-result")).containsText("test NLL");
        assertTrue(page.locator("#test-btn").isHidden(), "scored once: no second button");
        assertTrue(get("/api/runs/" + id).path("test").path("loss").asDouble() > 1.5);
        screenshot(page, "resampled");
    }

    /**
     * A stored count n-gram run samples more like a trained one: its counts are its parameters, taken again from the
     * data when no parameter file came with the run (./lab sweep keeps none), and usable at smoothing 0 too.
     */
    @Test
    void storedCountRunsSampleTwentyMoreAtATemperature() throws Exception {
        String id = trainedRun("{\"model\":\"ngram\",\"context\":2,\"smoothing\":0.5}");
        String unsaved = trainedRun("{\"model\":\"ngram\",\"context\":3,\"method\":\"kneser-ney\"}");
        java.nio.file.Files.delete(tmp.resolve("data").resolve("params").resolve(unsaved + ".params"));
        String zero = trainedRun("{\"model\":\"ngram\",\"context\":2,\"smoothing\":0}");
        open(page, base + "/#/runs/" + id);
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        assertThat(page.locator("#samples")).hasAttribute("data-count", "20");
        sampleMore("0.7", "40");
        assertThat(page.locator("#samples-note")).containsText("20 when counted · +20 at T=0.7");
        assertThat(page.locator("#probe-note")).containsText("counts of the train split");
        sampleMore("20", "40");
        assertThat(page.locator("#err-samples")).hasText("temperature must be in [0.05, 10]");
        for (String name : page.locator("#samples li .text").allTextContents()) {
            assertTrue(name.matches("[a-z]+"), "not a name of the dataset's letters: " + name);
        }
        screenshot(page, "count-resampled");

        for (String other : new String[] {unsaved, zero}) {
            open(page, base + "/#/runs/" + other);
            assertThat(page.locator("#run-id")).containsText(other);
            assertThat(page.locator("#samples")).hasAttribute("data-count", "20");
            sampleMore("1.5", "40");
            assertThat(page.locator("#err-samples")).hasText("");
        }
    }

    /** "Sample 20 more" at {@code temperature}; then the list holds {@code count} names. */
    private void sampleMore(String temperature, String count) {
        page.locator("#sample-temp").fill(temperature);
        page.locator("#more-samples").click();
        assertThat(page.locator("#samples")).hasAttribute("data-count", count);
    }

    /** A re-run link of a run steered live replays the change: the same curve, point for point. */
    @Test
    void rerunLinkOfASteeredRunReproducesTheCurveExactly() throws Exception {
        mlpForm("8", "4", "30000", "6000");
        page.locator("#train").click();
        assertThat(page.locator("#run-status")).hasText("running", slow());
        page.locator("#steer-range-lr").fill("400");
        assertThat(page.locator("#loss-chart")).hasAttribute("data-lr-changes", "1", slowAttr());
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        String id = runIdFromUrl(page);
        page.locator("#copy-rerun").click();
        String link = page.locator("#share-url").inputValue();
        assertTrue(link.contains("lrChanges"), link);

        BrowserContext other = newContext();
        try {
            Page p = watch(other.newPage());
            open(p, link);
            assertThat(p.locator("#mode-text")).containsText("1 learning-rate change replayed");
            p.locator("#banner-train").click();
            assertThat(p.locator("#run-status")).hasText("finished", slow());
            String again = runIdFromUrl(p);
            JsonNode a = get("/api/runs/" + id);
            JsonNode b = get("/api/runs/" + again);
            assertEquals(a.path("progress"), b.path("progress"), "the same train curve");
            assertEquals(a.path("evals"), b.path("evals"), "the same evaluations");
            assertEquals(a.path("lrChanges"), b.path("lrChanges"));
            assertThat(p.locator("#loss-chart")).hasAttribute("data-lr-changes", "1");
        } finally {
            other.close();
        }
    }

    /** A link whose dataset this lab lacks says so, and takes the file (checked by hash) to train it. */
    @Test
    void rerunLinkWithAMissingDatasetOffersTheUpload() throws Exception {
        String pets = "rex\nfido\nbella\nmax\nluna\ncharlie\nlucy\ncooper\ndaisy\nrocky\nbuddy\n";
        String hash = sha256(pets);
        String cfg = "{\"model\":\"ngram\",\"dataset\":\"" + hash.substring(0, 16) + "\",\"context\":1,\"smoothing\":0.5}";
        open(page, base + "/#/new?config=" + URLEncoder.encode(cfg, StandardCharsets.UTF_8) + "&sha256=" + hash
                + "&dataName=pets.txt");
        assertThat(page.locator("#mode-text")).containsText("which this lab does not have");
        assertTrue(page.locator("#banner-train").isDisabled());
        page.locator("#banner-upload-file").setInputFiles(new FilePayload("other.txt", "text/plain",
                (pets + "zeus\n").getBytes(StandardCharsets.UTF_8)));
        assertThat(page.locator("#mode-text")).containsText("is not the file this link was made with");
        page.locator("#banner-upload-file").setInputFiles(new FilePayload("pets.txt", "text/plain",
                pets.getBytes(StandardCharsets.UTF_8)));
        assertThat(page.locator("#mode-text")).containsText("matches the link's dataset");
        assertThat(page.locator("#dataset")).hasValue(hash.substring(0, 16));
        page.locator("#banner-train").click();
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        assertEquals(hash.substring(0, 16), get("/api/runs/" + runIdFromUrl(page)).path("config").path("dataset").asText());
    }

    /** Compare an n-gram and two MLPs: dev curves by name, the count model as a line, only the fields that apply. */
    @Test
    void compareACountModelAndTwoMlps() throws Exception {
        String ngram = trainedRun("{\"model\":\"ngram\",\"context\":2,\"smoothing\":0.1}");
        String a = trainedRun("{\"model\":\"mlp\",\"steps\":300,\"evalEvery\":100,\"hidden\":16}");
        String b = trainedRun("{\"model\":\"mlp\",\"steps\":300,\"evalEvery\":100,\"hidden\":16,\"lr\":0.05}");
        open(page, base + "/#/runs/" + a);
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        page.locator("#run-name").fill("fast lr");
        assertThat(page.locator("#label-state")).hasText("saved");
        assertEquals("fast lr", get("/api/runs/" + a).path("name").asText());
        for (String id : new String[] {ngram, a, b}) {
            page.locator("#runs tr[data-id='" + id + "'] input[type=checkbox]").check();
        }
        assertThat(page.locator("#runs tr[data-id='" + a + "']")).containsText("fast lr");
        page.locator("#compare-btn").click();
        assertTrue(page.url().contains("#/compare?ids="), page.url());
        assertThat(page.locator("#compare-chart")).hasAttribute("data-series", "2");
        assertThat(page.locator("#compare-chart")).hasAttribute("data-lines", "1"); // the count model: a line
        assertThat(page.locator("#compare-chart .u-legend")).containsText("fast lr dev");
        assertThat(page.locator("#compare-table tr.diff[data-field=model]")).hasCount(1);
        assertThat(page.locator("#compare-table tr.diff[data-field=lr]")).hasCount(1);
        assertThat(page.locator("#compare-table tr[data-field=hidden] td.muted")).hasText("n/a"); // not a count model's
        assertThat(page.locator("#compare-table tr:not(.diff)[data-field=seed]")).hasCount(1);
        page.locator("#compare-train").check();
        assertThat(page.locator("#compare-chart")).hasAttribute("data-series", "4");
        screenshot(page, "compare");
    }

    /** Back and forward through three views always show what the URL names. */
    @Test
    void backAndForwardThroughThreeViews() throws Exception {
        String a = trainedRun("{\"model\":\"neural\",\"steps\":20,\"evalEvery\":10}");
        String b = trainedRun("{\"model\":\"ngram\"}");
        open(page, base + "/#/new");
        page.locator("[data-model=ngram]").click();
        assertThat(page.locator("#ngram-view")).isVisible();
        page.locator("#runs tr[data-id='" + a + "']").click();
        assertThat(page.locator("#run-view")).isVisible();
        assertThat(page.locator("#run-id")).containsText(a);
        page.locator("#runs tr[data-id='" + a + "'] input[type=checkbox]").check();
        page.locator("#runs tr[data-id='" + b + "'] input[type=checkbox]").check();
        page.locator("#compare-btn").click();
        assertThat(page.locator("#compare-view")).isVisible();

        page.goBack();
        assertThat(page.locator("#run-view")).isVisible();
        assertThat(page.locator("#run-id")).containsText(a);
        assertThat(page.locator("#run-status")).hasText("finished");
        page.goBack();
        assertThat(page.locator("#ngram-view")).isVisible();
        assertThat(page.locator("#run-status")).hasText("idle");
        page.goForward();
        assertThat(page.locator("#run-id")).containsText(a);
        page.goForward();
        assertThat(page.locator("#compare-view")).isVisible();
        assertThat(page.locator("#compare-chart")).hasAttribute("data-lines", "1");
    }
}
