package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Position;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Experiments on the page: sweeps (live plot, share link, stop, export), the LR finder, smoothing vs L2. */
class ExperimentsPageTest extends PageHarness {

    /** Starts a sweep from the sweep form over one field with a list of values; returns the sweep's id. */
    private String sweepOver(String field, String values, String seeds) {
        return sweepOver(field, values, seeds, null, null);
    }

    /** The same with median pruning ticked (margin in nats, finished points first) unless margin is null. */
    private String sweepOver(String field, String values, String seeds, String margin, String minFinished) {
        page.locator("#exp-sweep").click();
        page.locator("#sweep-field-0").selectOption(field);
        page.locator("#sweep-mode-0").selectOption("values");
        page.locator("#sweep-values-0").fill(values);
        page.locator("#sweep-seeds").fill(seeds);
        if (margin != null) {
            page.locator("#sweep-prune").check();
            page.locator("#sweep-margin").fill(margin);
            page.locator("#sweep-minfin").fill(minFinished);
        }
        page.locator("#sweep-run").click();
        page.waitForURL("**/#/sweeps/*");
        return page.url().substring(page.url().indexOf("#/sweeps/") + "#/sweeps/".length());
    }

    /**
     * A 3-value smoothing sweep of the count trigram: 3 points, the best highlighted and labelled (the server's
     * best), hover names its numbers, a click on it opens its run; the share link opens the sweep read-only in a
     * fresh browser; the CSV export has the config columns and every point's rows.
     */
    @Test
    void smoothingSweepHighlightsTheBestAndOpensItsRun() throws Exception {
        open(page, base + "/");
        page.locator("[data-model=ngram]").click();
        typeValue("context", "2");
        String id = sweepOver("smoothing", "0.01, 0.3, 30", "1");
        Locator canvas = page.locator("#sw-plot canvas");
        assertThat(page.locator("#sw-status")).hasText("finished", slow());
        assertThat(canvas).hasAttribute("data-finished", "3");
        JsonNode sweep = get("/api/sweeps/" + id);
        assertEquals(3, sweep.path("points").size());
        JsonNode best = sweep.path("best");
        assertThat(canvas).hasAttribute("data-best", best.path("index").asText());
        assertThat(canvas).hasAttribute("data-logx", "true"); // 0.01..30: read on a log axis
        assertThat(page.locator("#sw-best")).containsText("smoothing = " + fmt(best.path("params").path("smoothing").asDouble()));
        assertThat(page.locator("#sw-best")).containsText(String.format("dev %.4f", best.path("dev").asDouble()));
        assertThat(page.locator("#sw-points tr.best")).hasAttribute("data-index", best.path("index").asText());
        assertThat(page.locator("#sw-points tr")).hasCount(3);

        String[] xy = canvas.getAttribute("data-best-xy").split(",");
        Position at = new Position(Double.parseDouble(xy[0]), Double.parseDouble(xy[1]));
        canvas.hover(new Locator.HoverOptions().setPosition(at));
        assertThat(page.locator("#sw-plot .tip")).containsText(String.format("dev %.4f", best.path("dev").asDouble()));
        assertThat(page.locator("#sw-plot .tip")).containsText("gap");
        screenshot(page, "sweep");
        String shareLink = base + "/#/sweeps/" + id;
        canvas.click(new Locator.ClickOptions().setPosition(at));
        page.waitForURL("**/#/runs/" + best.path("run").asText());
        assertThat(page.locator("#run-status")).hasText("finished");
        page.goBack();
        assertThat(page.locator("#sw-status")).hasText("finished");

        // the export: a long CSV with the config columns and rows for every point's run
        Download download = page.waitForDownload(() -> page.locator("#sw-csv").click());
        List<String> lines = Files.readAllLines(download.path(), StandardCharsets.UTF_8);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        for (String col : List.of("run", "name", "sweep", "model", "dataset", "context", "smoothing", "seed", "step", "split", "loss")) {
            assertTrue(header.contains(col), "column " + col + " in " + header);
        }
        Set<String> runs = new HashSet<>();
        int runCol = header.indexOf("run");
        int sweepCol = header.indexOf("sweep");
        int splitCol = header.indexOf("split");
        List<String> splits = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            runs.add(cells[runCol]);
            assertEquals(id, cells[sweepCol]);
            splits.add(cells[splitCol]);
        }
        Set<String> expected = new HashSet<>();
        sweep.path("points").forEach(p -> expected.add(p.path("run").asText()));
        assertEquals(expected, runs, "every point's run has rows");
        assertTrue(splits.contains("dev") && splits.contains("train"), "train and dev rows: " + splits);
        assertTrue(page.locator("#sw-json").getAttribute("href").endsWith("/export?format=json"));

        // two runs ticked in the run list export in the same long format
        List<String> two = new ArrayList<>(expected).subList(0, 2);
        // the list folds a sweep into one row: opened, it shows the sweep's runs
        page.locator("#runs tr.sweep-row[data-sweep='" + id + "'] button.sweep-toggle").click();
        for (String run : two) {
            page.locator("#runs tr[data-id='" + run + "'] input[type=checkbox]").check();
        }
        Download selected = page.waitForDownload(() -> page.locator("#export-csv").click());
        List<String> rows = Files.readAllLines(selected.path(), StandardCharsets.UTF_8);
        assertEquals(lines.get(0), rows.get(0), "the same long header");
        Set<String> exported = new HashSet<>();
        rows.subList(1, rows.size()).forEach(r -> exported.add(r.split(",", -1)[runCol]));
        assertEquals(new HashSet<>(two), exported);

        // the best point on test, once: the score is kept and the button goes
        page.locator("#sw-control-open").click();
        page.locator("#sw-test-btn").click();
        page.locator("#sw-test-confirm").click();
        assertThat(page.locator("#sw-test-result")).containsText("test ");
        JsonNode test = get("/api/sweeps/" + id).path("test");
        assertEquals(best.path("run").asText(), test.path("run").asText(), "the best point was scored");
        assertThat(page.locator("#sw-test-result")).containsText(String.format("test %.4f", test.path("loss").asDouble()));
        assertTrue(page.locator("#sw-test-btn").isHidden(), "scored once: no second button");

        // the share link in a fresh browser: the same sweep, read-only (no form, nothing editable)
        BrowserContext other = newContext();
        try {
            Page p = watch(other.newPage());
            open(p, shareLink);
            assertThat(p.locator("#sw-status")).hasText("finished");
            assertThat(p.locator("#sw-plot canvas")).hasAttribute("data-finished", "3");
            assertThat(p.locator("#sw-plot canvas")).hasAttribute("data-best", best.path("index").asText());
            assertThat(p.locator("#sw-best")).hasText(page.locator("#sw-best").textContent());
            assertThat(p.locator("#sw-test-result")).hasText(page.locator("#sw-test-result").textContent());
            assertTrue(p.locator("#sweep-form").isHidden(), "the share link shows no sweep form");
            assertEquals(0, p.locator("#sweep-view input:not([readonly]), #sweep-view select, #sweep-view textarea").count(),
                    "nothing in the sweep view is editable");
            // nothing destructive by one click: stop, delete and test-scoring sit behind "Control this sweep"
            for (String b : List.of("#sw-stop", "#sw-delete", "#sw-test-btn")) {
                assertTrue(p.locator(b).isHidden(), b + " is not on the shared view");
            }
            int visible = p.locator("#sweep-view button:visible").count();
            for (int i = 0; i < visible; i++) {
                String label = p.locator("#sweep-view button:visible").nth(i).textContent();
                assertFalse(label.matches("(?i).*(stop|delete|score|test).*"), "a visible button: " + label);
            }
            p.locator("#sw-control-open").click();
            p.locator("#sw-delete").click();
            assertThat(p.locator("#sw-delete")).containsText("click again");
            assertEquals(id, get("/api/sweeps/" + id).path("id").asText(), "one click deleted nothing");
            // the re-run link carries the definition into the sweep form
            p.locator("#sw-rerun").click();
            assertThat(p.locator("#sweep-values-0")).hasValue("0.01, 0.3, 30");
            assertThat(p.locator("#sweep-base")).containsText("context=2");
            assertThat(p.locator("[data-model=ngram]")).hasAttribute("aria-checked", "true"); // the base is in the controls
            assertThat(p.locator("#val-context")).hasValue("2");
            screenshot(p, "shared");
        } finally {
            other.close();
        }
    }

    /** The LR finder draws loss against log10(lr) and marks a rate; "Use this" moves the lr slider there. */
    @Test
    void lrFinderDrawsItsCurveAndUseThisMovesTheSlider() throws Exception {
        open(page, base + "/");
        page.locator("[data-model=mlp]").click();
        typeValue("hidden", "16");
        String before = page.locator("#range-lr").inputValue();
        page.locator("#exp-finder").click();
        page.locator("#fd-steps").fill("300");
        page.locator("#fd-run").click();
        page.waitForURL("**/#/finder/*");
        String id = page.url().substring(page.url().indexOf("#/finder/") + "#/finder/".length());
        assertThat(page.locator("#fd-status")).hasText("finished", slow());
        JsonNode finder = get("/api/runs/" + id + "/lr-finder");
        assertThat(page.locator("#fd-chart")).hasAttribute("data-points", String.valueOf(finder.path("points").size()));
        assertTrue(finder.path("points").size() >= 50, "the curve has points: " + finder.path("points").size());
        assertThat(page.locator("#fd-chart canvas").first()).isVisible();
        assertThat(page.locator("#fd-rule")).containsText("where the smoothed loss is lowest");
        double suggestion = finder.path("suggestion").asDouble();
        String shown = fmt(Double.parseDouble(String.format("%.1e", suggestion)));
        assertThat(page.locator("#fd-suggest")).containsText("suggested learning rate " + shown);
        page.locator("#fd-use").click();
        assertThat(page.locator("#val-lr")).hasValue(shown);
        assertNotEquals(before, page.locator("#range-lr").inputValue(), "the slider moved");
        assertEquals("finder", get("/api/runs/" + id).path("config").path("schedule").asText(), "stored as a finder run");
        screenshot(page, "finder");
        // opened as a run (from the list), it points back to its curve
        page.locator("#runs tr[data-id='" + id + "']").click();
        page.waitForURL("**/#/runs/" + id);
        page.locator("#finder-open").click();
        page.waitForURL("**/#/finder/" + id);
        assertThat(page.locator("#fd-status")).hasText("finished");
    }

    /**
     * Stopping a running MLP sweep: its queued points end stopped at step 0, the running ones stop, none trains on.
     * The sweep is over hidden sizes: points of other shapes cannot train together, so they queue one a trainer (an
     * lr sweep's points would all run at once as one batched group).
     */
    @Test
    void stoppingARunningMlpSweepStopsItsQueuedPoints() throws Exception {
        mlpForm("8", "4", "50000", "10000");
        int trainers = makemore.lab.RunService.defaultConcurrency();
        StringBuilder sizes = new StringBuilder("8");
        for (int i = 1; i < trainers + 3; i++) {
            sizes.append(", ").append(8 + i);
        }
        String id = sweepOver("hidden", sizes.toString(), "1");
        assertThat(page.locator("#sw-points tr[data-status=running]").first()).isVisible(slowVisible());
        assertThat(page.locator("#sw-points tr[data-status=queued]").first()).isVisible();
        page.locator("#sw-control-open").click();
        page.locator("#sw-stop").click();
        assertThat(page.locator("#sw-stop")).containsText("click again"); // it names what it stops, then stops
        assertEquals("running", get("/api/sweeps/" + id).path("status").asText(), "one click stopped nothing");
        page.locator("#sw-stop").click();
        assertThat(page.locator("#sw-status")).hasText("stopped", slow());
        assertThat(page.locator("#sw-points tr[data-status=queued]")).hasCount(0);
        assertThat(page.locator("#sw-points tr[data-status=running]")).hasCount(0);
        JsonNode sweep = get("/api/sweeps/" + id);
        int cancelled = 0;
        for (JsonNode p : sweep.path("points")) {
            String status = p.path("status").asText();
            assertEquals("stopped", status, "point " + p);
            if (p.path("step").asLong() == 0) {
                cancelled++;
            }
        }
        assertTrue(cancelled >= 3, "queued points cancelled at step 0: " + cancelled + " of " + sweep.path("points").size());
        assertThat(page.locator("#sw-stop")).isDisabled();
        assertFalse(page.locator("#sw-delete").isDisabled(), "a stopped sweep can be deleted");
        screenshot(page, "stopped");
        // delete asks first, then removes the sweep and its runs
        page.locator("#sw-delete").click();
        assertThat(page.locator("#sw-delete")).containsText("click again");
        page.locator("#sw-delete").click();
        page.waitForURL("**/#/sweeps");
        assertThat(page.locator("#sweep-list tr[data-id='" + id + "']")).hasCount(0);
        String firstRun = sweep.path("points").path(0).path("run").asText();
        assertFalse(get("/api/runs").toString().contains(firstRun), "the sweep's runs are gone");
    }

    /**
     * Median pruning, deterministic: the good learning rates fill every trainer and finish first (one finished point
     * is enough to prune), then lr 1e-4 is still near the uniform 3.30 nats at its first evaluation (step 100) while
     * the finished points are below 2.9 there, so it is pruned at step 100 whatever the machine. The table marks it,
     * its run says why, and the best is a finished point.
     */
    @Test
    void medianPruningStopsTheBadPointAndItsRunSaysWhy() throws Exception {
        mlpForm("16", "4", "300", "100");
        typeValue("sampleEvery", "0");
        int good = Math.max(2, makemore.lab.RunService.defaultConcurrency());
        StringBuilder lrs = new StringBuilder();
        for (int i = 0; i < good; i++) {
            lrs.append(fmt(0.1 + 0.05 * i)).append(", ");
        }
        String id = sweepOver("lr", lrs.append("1e-4").toString(), "1", "0.2", "1");
        assertThat(page.locator("#sw-status")).hasText("finished", slow());
        JsonNode sweep = get("/api/sweeps/" + id);
        JsonNode pruned = sweep.path("points").path(good);
        assertEquals("pruned", pruned.path("status").asText(), "lr 1e-4: " + sweep);
        assertEquals(100, pruned.path("step").asLong(), "pruned at its first evaluation: " + pruned);
        for (int i = 0; i < good; i++) {
            assertEquals("finished", sweep.path("points").path(i).path("status").asText(), "point " + i + ": " + sweep);
        }
        assertNotEquals(good, sweep.path("best").path("index").asInt(), "the best is not the pruned point");

        Locator row = page.locator("#sw-points tr[data-status=pruned]");
        assertThat(row).hasCount(1);
        assertThat(row).hasAttribute("data-index", String.valueOf(good));
        assertThat(row.locator(".pill")).hasText("pruned");
        assertThat(row.locator(".pill")).hasAttribute("title", java.util.regex.Pattern.compile("^pruned at step 100: dev "));
        assertThat(page.locator("#sw-counts")).containsText(good + " finished · 1 pruned");
        assertThat(page.locator("#sw-plot canvas")).hasAttribute("data-finished", String.valueOf(good));
        assertThat(page.locator("#sw-plot canvas")).hasAttribute("data-best", sweep.path("best").path("index").asText());
        assertThat(page.locator("#sw-points tr.best")).hasAttribute("data-status", "finished");
        assertThat(page.locator("#sw-best")).containsText(String.format("dev %.4f", sweep.path("best").path("dev").asDouble()));
        screenshot(page, "pruned");

        row.locator("a").click();
        page.waitForURL("**/#/runs/" + pruned.path("run").asText());
        assertThat(page.locator("#run-status")).hasText("pruned");
        assertThat(page.locator("#run-message")).containsText(pruned.path("message").asText());
        assertThat(page.locator("#run-eta")).hasText("done"); // an ended run: nothing to wait for, nothing to stop
        assertThat(page.locator("#stop")).isDisabled();
    }

    /** Smoothing vs L2: both dev curves on log axes with their minima, for the bigram. */
    @Test
    void smoothingVersusL2ShowsBothCurvesWithMinima() throws Exception {
        open(page, base + "/");
        page.locator("#exp-smoothing").click();
        page.locator("#sl-steps").fill("30");
        page.locator("#sl-points").fill("5");
        page.locator("#sl-go").click();
        assertThat(page.locator("#sl-state")).containsText("neural 30 steps",
                new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(TIMEOUT_MS));
        assertThat(page.locator("#sl-count")).hasAttribute("data-points", "5");
        assertThat(page.locator("#sl-neural")).hasAttribute("data-points", "5");
        JsonNode r = get("/api/experiments/smoothing-l2?dataset=names&context=1&steps=30&points=5");
        assertThat(page.locator("#sl-count-min")).containsText(String.format("min dev %.4f", r.path("count").path("min").path("dev").asDouble()));
        assertThat(page.locator("#sl-neural-min")).containsText(String.format("min dev %.4f", r.path("neural").path("min").path("dev").asDouble()));
        assertThat(page.locator("#sl-k0")).containsText("k = 0");
        screenshot(page, "smoothing-l2");
    }

    /** No horizontal overflow on the experiment views at phone, laptop and desktop widths. */
    @Test
    void experimentViewsFitPhoneLaptopAndDesktop() throws Exception {
        String sweep = send("POST", "/api/sweeps", "{\"base\":{\"model\":\"ngram\",\"context\":2},\"params\":["
                + "{\"field\":\"smoothing\",\"values\":[0.1,1]},{\"field\":\"context\",\"values\":[1,2]}]}").path("id").asText();
        String line = send("POST", "/api/sweeps", "{\"base\":{\"model\":\"ngram\"},\"params\":["
                + "{\"field\":\"smoothing\",\"range\":{\"lo\":0.01,\"hi\":100,\"points\":5,\"scale\":\"log\"}}],\"seeds\":2}").path("id").asText();
        for (int width : new int[] {390, 1024, 1440}) {
            page.setViewportSize(width, 900);
            for (String hash : List.of("#/sweeps", "#/sweeps/" + sweep, "#/sweeps/" + line, "#/finder", "#/smoothing-l2")) {
                open(page, base + "/" + hash);
                if (hash.startsWith("#/sweeps/")) {
                    assertThat(page.locator("#sw-status")).hasText("finished", slow());
                }
                Number overflow = (Number) page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth");
                assertEquals(0, overflow.intValue(), hash + " overflows at " + width + " px");
            }
            if (width == 390) {
                screenshot(page, "phone");
            }
        }
        page.setViewportSize(1440, 900);
        open(page, base + "/#/sweeps/" + sweep);
        assertThat(page.locator("#sw-plot canvas")).hasAttribute("data-cells", "4"); // two fields: a grid
        screenshot(page, "grid");
    }

    /** The n-gram explorer draws Kneser-Ney's dev next to add-k's curve when the server scores it. */
    @Test
    void ngramExplorerShowsKneserNeyWhenTheServerScoresIt() throws Exception {
        JsonNode r = get("/api/ngram?dataset=names&context=2&smoothing=1");
        open(page, base + "/");
        page.locator("[data-model=ngram]").click();
        typeValue("context", "2");
        assertThat(page.locator("#ngram-k")).hasText("1");
        assertTrue(r.has("kneserNey"), "the explorer's endpoint scores Kneser-Ney beside add-k: " + r);
        double kn = r.path("kneserNey").path("dev").asDouble();
        assertThat(page.locator("#ngram-kn")).containsText(String.format("Kneser-Ney dev %.4f", kn)); // context 2 scored
        assertEquals(kn, Double.parseDouble(page.locator("#kplot").getAttribute("data-reference")), 1e-12);
        // Kneser-Ney chosen in the controls: the line follows its discount
        page.locator("#val-method").selectOption("kneser-ney");
        typeValue("discount", "0.2");
        double kn02 = get("/api/ngram?dataset=names&context=2&smoothing=1&discount=0.2").path("kneserNey").path("dev").asDouble();
        assertTrue(Math.abs(kn02 - kn) > 1e-3, "the discount matters: " + kn02 + " vs " + kn);
        // polled from here: the page's Content-Security-Policy forbids the eval a page-side predicate needs
        assertThat(page.locator("#ngram-kn")).containsText(String.format("Kneser-Ney dev %.4f", kn02));
        long end = System.nanoTime() + 5_000_000_000L;
        double shown = Double.NaN;
        while (System.nanoTime() < end && !(Math.abs(shown - kn02) < 1e-12)) {
            String ref = page.locator("#kplot").getAttribute("data-reference");
            shown = ref == null || ref.isEmpty() ? Double.NaN : Double.parseDouble(ref);
            page.waitForTimeout(20);
        }
        assertEquals(kn02, shown, 1e-12, "the chart's reference line follows the discount");
        // with Kneser-Ney chosen, the readouts are its numbers, as a saved Kneser-Ney run scores
        JsonNode kn02All = get("/api/ngram?dataset=names&context=2&smoothing=1&discount=0.2").path("kneserNey");
        assertThat(page.locator("#ngram-dev")).hasText(String.format("%.4f", kn02All.path("dev").asDouble()));
        assertThat(page.locator("#ngram-train")).hasText(String.format("%.4f", kn02All.path("train").asDouble()));
        assertThat(page.locator("#ngram-k-label")).hasText("discount D");
        assertThat(page.locator("#ngram-k")).hasText("0.2");
        page.locator("#val-method").selectOption("addk");
        assertThat(page.locator("#ngram-k-label")).hasText("k");
        assertThat(page.locator("#ngram-dev")).hasText(String.format("%.4f", r.path("dev").asDouble()));
    }

    private static com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions slowVisible() {
        return new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(TIMEOUT_MS);
    }
}
