package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The explain strip: hovering or focusing a sample, or the probed word, shows every position's p(next), its surprise
 * and the five likeliest characters, with the text's mean NLL as the API gives it; errors are said in the strip.
 */
class ExplainPageTest extends PageHarness {
    private static final String MLP = "{\"model\":\"mlp\",\"steps\":300,\"evalEvery\":100,\"hidden\":16}";
    private static final Path SHOTS = Path.of(System.getProperty("mm.explain.shots", "/tmp"));

    private String mlp; // one trained run serves every test of the class

    private String mlp() throws Exception {
        if (mlp == null) {
            mlp = trainedRun(MLP);
        }
        return mlp;
    }

    private long explainRequests() {
        return requests.stream().filter(r -> r.contains("/explain?text=")).count();
    }

    /** The strip in {@code box} shows {@code text} as the API explains it: its cells, alternatives and mean NLL. */
    private void assertExplains(String box, String id, String text) throws Exception {
        Locator strip = page.locator(box);
        assertThat(strip).hasAttribute("data-state", "shown");
        assertThat(strip.locator(".x-text")).hasText("\"" + text + "\"");
        JsonNode api = explain(id, text);
        int n = text.codePointCount(0, text.length()) + 1;
        assertEquals(n, api.path("positions").size());
        assertThat(strip.locator(".pos")).hasCount(n);
        assertThat(strip.locator(".x-nll")).hasText(String.format(Locale.ROOT, "mean NLL %.4f", api.path("nll").asDouble()));
        List<String> chars = strip.locator(".pos > .ch").allTextContents();
        for (int i = 0; i < n; i++) {
            JsonNode pos = api.path("positions").get(i);
            assertEquals(pos.path("next").asText(), chars.get(i), "the character of cell " + i);
            Locator alts = strip.locator(".pos").nth(i).locator(".alts li");
            assertThat(alts).hasCount(5);
            int best = 0;
            for (int k = 1; k < pos.path("p").size(); k++) {
                if (pos.path("p").get(k).asDouble() > pos.path("p").get(best).asDouble()) {
                    best = k;
                }
            }
            assertThat(alts.first().locator(".mono")).hasText(api.path("vocab").get(best).asText());
        }
    }

    /** Whether the strip stays inside the viewport, or at least scrolls inside its own box. */
    private void assertFits(String box, int width) {
        List<?> s = (List<?>) page.evaluate("b => { const e = document.querySelector(b); const r = e.getBoundingClientRect();"
                + " return [r.right, e.scrollWidth, e.clientWidth, document.documentElement.scrollWidth, innerWidth]; }", box);
        double right = ((Number) s.get(0)).doubleValue();
        boolean scrollsInside = ((Number) s.get(1)).intValue() > ((Number) s.get(2)).intValue();
        assertTrue(right <= width || scrollsInside, box + " overflows " + width + " px: right edge " + right);
        assertTrue(((Number) s.get(3)).intValue() <= ((Number) s.get(4)).intValue(), "the page scrolls sideways at " + width);
    }

    private void shoot(String name, String box) {
        page.locator(box).scrollIntoViewIfNeeded();
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("explain-" + name + ".png")));
    }

    @Test
    void hoveringASampleExplainsItAt1440And1024And390() throws Exception {
        String id = mlp();
        for (int width : new int[] {1440, 1024, 390}) {
            page.setViewportSize(width, 900);
            open(page, base + "/?width=" + width + "#/runs/" + id); // a new document: nothing explained yet
            assertThat(page.locator("#run-status")).hasText("finished", slow());
            assertThat(page.locator("#samples-hint")).isVisible();
            Locator items = page.locator("#samples li:not([data-text=''])");
            Locator first = items.first();
            String text = first.getAttribute("data-text");
            long before = explainRequests();
            first.hover();
            assertExplains("#samples-explain", id, text);
            assertFits("#samples-explain", width);
            shoot("samples-" + width, "#samples-explain");

            // hovering again, or back after another name, asks the server nothing more: answers are kept per text
            String second = items.nth(1).getAttribute("data-text");
            items.nth(1).hover();
            assertThat(page.locator("#samples-explain .x-text")).hasText("\"" + second + "\"");
            first.hover(new Locator.HoverOptions().setPosition(2, 2));
            assertThat(page.locator("#samples-explain .x-text")).hasText("\"" + text + "\"");
            first.hover(new Locator.HoverOptions().setPosition(10, 4));
            items.nth(1).hover();
            assertThat(page.locator("#samples-explain .x-text")).hasText("\"" + second + "\"");
            page.waitForTimeout(300);
            assertEquals(text.equals(second) ? 1 : 2, explainRequests() - before, "one request per text: " + requests);
        }
    }

    @Test
    void theKeyboardReachesSamplesAndTheirStrip() throws Exception {
        String id = mlp();
        open(page, base + "/#/runs/" + id);
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        assertThat(page.locator("#samples")).hasAttribute("data-count", "20");
        page.locator("#more-samples").focus();
        page.keyboard().press("Tab");
        assertEquals(Boolean.TRUE, page.evaluate("() => document.activeElement === document.querySelector('#samples li')"),
                "Tab after \"Sample 20 more\" lands on the first name");
        assertExplains("#samples-explain", id, page.locator("#samples li").first().getAttribute("data-text"));
        page.keyboard().press("Tab");
        assertExplains("#samples-explain", id, page.locator("#samples li").nth(1).getAttribute("data-text"));

        // the names "Sample 20 more" appends are explained too
        page.locator("#more-samples").click();
        assertThat(page.locator("#samples")).hasAttribute("data-count", "40");
        Locator added = page.locator("#samples li:not([data-text=''])").last();
        added.focus();
        assertExplains("#samples-explain", id, added.getAttribute("data-text"));
        shoot("keyboard", "#samples-explain");
    }

    @Test
    void theProbedWordIsExplained() throws Exception {
        String id = mlp();
        page.setViewportSize(390, 900);
        open(page, base + "/#/runs/" + id);
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        page.locator("#probe-word").fill("emma");
        page.locator("#probe-btn").click();
        assertThat(page.locator("#probe-out .pc")).hasCount(5);
        assertThat(page.locator("#probe-hint")).isVisible();
        page.locator("#probe-out").hover();
        assertExplains("#probe-explain", id, "emma");
        assertFits("#probe-explain", 390);
        shoot("probe-390", "#probe-explain");

        page.locator("#probe-word").fill("christopher"); // a stale strip goes as soon as the word changes
        assertThat(page.locator("#probe-explain")).isHidden();
        page.locator("#probe-word").press("Enter");
        assertThat(page.locator("#probe-out .pc")).hasCount(12);
        page.keyboard().press("Tab"); // the Probe button
        page.keyboard().press("Tab"); // the probed word's bars
        assertExplains("#probe-explain", id, "christopher");
        assertFits("#probe-explain", 390);
        shoot("probe-long-390", "#probe-explain");
    }

    @Test
    void aRunStillTrainingSaysWhichStepItsParametersAreFrom() throws Exception {
        // live samples every 20,000 steps (a second or so): the list is not redrawn under the pointer many times a second
        String id = trainingRunWithParameters("{\"model\":\"mlp\",\"steps\":200000,\"evalEvery\":2000,"
                + "\"sampleEvery\":20000,\"hidden\":16}"); // its first evaluation saves parameters
        open(page, base + "/#/runs/" + id);
        assertThat(page.locator("#run-status")).hasText("running", slow());
        Locator item = page.locator("#samples li:not([data-text=''])").first();
        item.waitFor(new Locator.WaitForOptions().setTimeout(TIMEOUT_MS));
        page.locator("#samples").hover(); // the list is redrawn at each evaluation: point at it, then rest on a name
        page.locator("#samples li:not([data-text=''])").first().hover();
        assertThat(page.locator("#samples-explain")).hasAttribute("data-state", "shown");
        assertThat(page.locator("#samples-explain .x-step"))
                .hasText(Pattern.compile("^parameters from step [\\d,]+ \\(best dev so far; still training\\)$"));
        shoot("live", "#samples-explain");
        stopLiveRuns();
    }

    @Test
    void aRunWithoutParametersSaysSoInTheStrip() throws Exception {
        String id = trainedRun(MLP);
        // a run from before the store kept parameters, whose file is elsewhere: neither copy is here
        Files.delete(tmp.resolve("data").resolve("params").resolve(id + ".params"));
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("lab.db"));
                java.sql.PreparedStatement d = c.prepareStatement("DELETE FROM run_params WHERE run_id = ?")) {
            d.setString(1, id);
            org.junit.jupiter.api.Assertions.assertEquals(1, d.executeUpdate(), "the run database held its parameters");
        }
        allowStatus(409); // the server's answer for a run without parameters, shown in the strip
        open(page, base + "/#/runs/" + id);
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        page.locator("#samples li:not([data-text=''])").first().hover();
        Locator strip = page.locator("#samples-explain");
        assertThat(strip).hasAttribute("data-state", "error");
        assertThat(strip.locator(".err")).containsText("Cannot explain it: run " + id + "'s saved parameters are neither in the run database nor");
        assertThat(strip.locator(".pos")).hasCount(0);
        shoot("error", "#samples-explain");
    }
}
