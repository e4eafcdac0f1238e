package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.BoundingBox;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Page ergonomics (issue 17): Train within reach on first open, views that open at their top, a phone that shows
 * the run before the form, a keyboard-only path (skip link, one-stop model picker, a visible focus ring), a steer box
 * that follows other tabs, no empty panels for count runs, and a block size that offers only what the server takes.
 */
class ErgonomicsPageTest extends PageHarness {
    static final String SHORT_MLP = "{\"model\":\"mlp\",\"steps\":300,\"evalEvery\":100,\"hidden\":16}";
    static final String LONG_MLP = "{\"model\":\"mlp\",\"steps\":200000,\"hidden\":16,\"evalEvery\":50000}";

    private void assertInViewport(String selector, String what) {
        BoundingBox b = page.locator(selector).boundingBox();
        var vp = page.viewportSize();
        assertTrue(b != null && b.y >= 0 && b.y + b.height <= vp.height && b.x >= 0 && b.x + b.width <= vp.width,
                what + ": " + selector + " at " + (b == null ? "nowhere" : b.x + "," + b.y + " " + b.width + "x" + b.height)
                        + " is not inside the " + vp.width + "x" + vp.height + " viewport");
        // and nothing covers it: a click at its centre lands on it
        Object hit = page.evaluate("([s, x, y]) => document.querySelector(s).contains(document.elementFromPoint(x, y))",
                List.of(selector, b.x + b.width / 2, b.y + b.height / 2));
        assertEquals(Boolean.TRUE, hit, what + ": " + selector + " is covered");
    }

    @Test
    void trainIsInReachOnFirstOpenAt1440And1024() throws Exception {
        String mlp = trainedRun(SHORT_MLP);
        for (int[] size : new int[][] {{1440, 900}, {1024, 768}}) {
            page.setViewportSize(size[0], size[1]);
            open(page, base + "/");
            assertThat(page.locator("#train")).hasText("Train");
            assertEquals(0.0, ((Number) page.evaluate("() => window.scrollY")).doubleValue());
            assertInViewport("#train", "Train at " + size[0]);
            screenshot(page, "first-open-" + size[0]);
            page.locator("[data-model=ngram]").click();
            assertThat(page.locator("#train")).hasText("Save as run");
            assertInViewport("#train", "Save as run at " + size[0]);
            // an open run puts its message above the layout, pushing the form down
            open(page, base + "/#/runs/" + mlp);
            assertThat(page.locator("#run-message")).isVisible(slowVisible());
            page.evaluate("() => window.scrollTo(0, 0)");
            page.waitForTimeout(100); // the form's height follows in the next frame
            assertInViewport("#train", "Train with a run open at " + size[0]);
            page.evaluate("() => window.scrollTo(0, 400)");
            page.waitForTimeout(100);
            assertInViewport("#train", "Train scrolled down at " + size[0]);
        }
    }

    @Test
    void openingAViewScrollsToItsTop() throws Exception {
        String mlp = trainedRun(SHORT_MLP);
        String other = trainedRun(SHORT_MLP.replace("16", "8"));
        page.setViewportSize(1024, 768); // the run list sits below the form and the view: far down the page
        open(page, base + "/");
        page.locator("#runs tr[data-id='" + mlp + "']").scrollIntoViewIfNeeded();
        assertTrue(((Number) page.evaluate("() => window.scrollY")).doubleValue() > 300, "the list is far down");
        page.locator("#runs tr[data-id='" + mlp + "']").click();
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        assertThat(page.locator("#loss-chart")).hasAttribute("data-dev-points", "3");
        assertEquals(0.0, ((Number) page.evaluate("() => window.scrollY")).doubleValue(), "the run view opens at its top");
        assertInViewport("#loss-chart", "the run's chart");
        screenshot(page, "run-opened-1024");

        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)");
        page.evaluate("h => { location.hash = h; }", "#/compare?ids=" + mlp + "," + other);
        assertThat(page.locator("#compare-chart canvas").first()).isVisible();
        assertEquals(0.0, ((Number) page.evaluate("() => window.scrollY")).doubleValue(), "compare opens at its top");
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)");
        page.goBack();
        assertThat(page.locator("#run-view")).isVisible();
        assertEquals(0.0, ((Number) page.evaluate("() => window.scrollY")).doubleValue(), "back opens the run at its top");
    }

    @Test
    void aPhoneShowsTheRunBeforeTheForm() throws Exception {
        String mlp = trainedRun(SHORT_MLP);
        page.setViewportSize(390, 844);
        open(page, base + "/#/runs/" + mlp);
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        double chart = page.locator("#loss-chart").boundingBox().y;
        double form = page.locator("#controls-panel").boundingBox().y;
        assertTrue(chart < form, "the run's chart (" + chart + ") comes before the form (" + form + ")");
        assertTrue(chart < 844, "the chart starts on the first screen, at " + chart);
        Object widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]");
        assertTrue(((Number) ((List<?>) widths).get(0)).intValue() <= ((Number) ((List<?>) widths).get(1)).intValue(),
                "no sideways scroll: " + widths);
        screenshot(page, "phone-run");
        open(page, base + "/#/new"); // a new run starts at the form, Train within reach
        assertTrue(page.locator("#controls-panel").boundingBox().y < page.locator("#run-view").boundingBox().y);
        assertInViewport("#train", "Train on a phone");
        screenshot(page, "phone-new");
    }

    @Test
    void theModelPickerIsOneRadioGroup() {
        open(page, base + "/");
        assertThat(page.locator("#model")).hasAttribute("role", "radiogroup");
        int radios = page.locator("#model [role=radio]").count();
        assertTrue(radios >= 5, "one radio a model: " + radios);
        assertEquals(1, ((Number) page.evaluate("() => [...document.querySelectorAll('#model [role=radio]')]"
                + ".filter(b => b.tabIndex >= 0).length")).intValue(), "one tab stop for the whole picker");
        page.locator("#upload-btn").focus();
        page.keyboard().press("Tab");
        assertEquals("mlp", focused("dataset.model"), "Tab lands on the chosen model");
        String next = (String) page.evaluate("() => document.activeElement.nextElementSibling.dataset.model");
        page.keyboard().press("ArrowRight");
        assertEquals(next, focused("dataset.model"), "the arrow moves the focus");
        assertThat(page.locator("[data-model=" + next + "]")).hasAttribute("aria-checked", "true");
        assertThat(page.locator("[data-model=mlp]")).hasAttribute("aria-checked", "false");
        assertThat(page.locator("[data-model=mlp]")).hasAttribute("tabindex", "-1");
        page.keyboard().press("ArrowLeft");
        assertEquals("mlp", focused("dataset.model"));
        assertThat(page.locator("[data-model=mlp]")).hasAttribute("aria-checked", "true");
        assertThat(page.locator("#val-hidden")).isVisible(); // the MLP's own fields are back
        page.keyboard().press("End");
        assertThat(page.locator("#model [role=radio]").last()).hasAttribute("aria-checked", "true");
        page.keyboard().press("Home");
        assertThat(page.locator("#model [role=radio]").first()).hasAttribute("aria-checked", "true");
        page.keyboard().press("Tab");
        assertFalse((Boolean) page.evaluate("() => document.getElementById('model').contains(document.activeElement)"),
                "one Tab leaves the picker");
    }

    static com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions slowVisible() {
        return new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(TIMEOUT_MS);
    }

    private Object focused(String property) {
        return page.evaluate("() => document.activeElement." + property);
    }

    /** WCAG's contrast of the focus ring against what it sits on, for the first tab stops of the page. */
    @Test
    void theFocusRingHasThreeToOneContrast() {
        open(page, base + "/");
        int checked = 0;
        for (int i = 0; i < 14; i++) {
            page.keyboard().press("Tab");
            @SuppressWarnings("unchecked")
            Map<String, Object> ring = (Map<String, Object>) page.evaluate(RING_JS);
            String what = String.valueOf(ring.get("what"));
            if (what.equals("BODY")) {
                continue;
            }
            assertTrue(((Number) ring.get("width")).doubleValue() >= 2, what + ": a 2px ring at least, " + ring);
            assertFalse("none".equals(ring.get("style")), what + " shows no ring: " + ring);
            assertTrue(((Number) ring.get("contrast")).doubleValue() >= 3, what + ": ring contrast under 3:1: " + ring);
            if (what.contains("[mlp]")) {
                screenshot(page, "focus-on-model");
            }
            checked++;
        }
        assertTrue(checked >= 10, "tab stops checked: " + checked);
    }

    // the ring's colour against the element's own background (a ring drawn inside it) or else its nearest opaque
    // ancestor's (a ring drawn around it)
    static final String RING_JS = """
            () => {
              const e = document.activeElement;
              const cs = getComputedStyle(e);
              const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
              const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92
                  : ((v + 0.055) / 1.055) ** 2.4; }).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
              let bgEl = parseFloat(cs.outlineOffset) < 0 ? e : e.parentElement;
              let bg = 'rgb(255, 255, 255)';
              for (let n = bgEl; n; n = n.parentElement) {
                const c = getComputedStyle(n).backgroundColor;
                const a = rgb(c);
                if (a.length < 4 || a[3] > 0.9) { bg = c; break; }
              }
              const l1 = lum(rgb(cs.outlineColor)), l2 = lum(rgb(bg));
              return { what: e.tagName + '#' + e.id + (e.dataset.model ? '[' + e.dataset.model + ']' : ''),
                style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), color: cs.outlineColor, bg,
                contrast: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05) };
            }""";

    @Test
    void theSkipLinkIsTheFirstTabStopAndLeadsIntoTheView() throws Exception {
        String mlp = trainedRun(SHORT_MLP);
        page.setViewportSize(1024, 768);
        open(page, base + "/#/runs/" + mlp);
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        page.keyboard().press("Tab");
        assertEquals("skip", focused("id"));
        assertInViewport("#skip", "the skip link, once focused");
        screenshot(page, "skip-link");
        page.keyboard().press("Enter");
        assertEquals(Boolean.TRUE, page.evaluate("() => document.getElementById('run-view').contains(document.activeElement)"),
                "Enter moves the focus into the open view");
        assertTrue(page.url().endsWith("#/runs/" + mlp), "the route stays: " + page.url());
        page.keyboard().press("Tab"); // the next stop is in the run, not back in the bar or the form
        assertEquals(Boolean.TRUE, page.evaluate("() => document.getElementById('run-view').contains(document.activeElement)"));
    }

    @Test
    void anLrChangeInOneTabShowsInTheOther() throws Exception {
        String id = send("POST", "/api/runs", LONG_MLP).path("id").asText();
        Page other = watch(context.newPage());
        open(page, base + "/#/runs/" + id);
        open(other, base + "/#/runs/" + id);
        assertThat(page.locator("#run-status")).hasText("running", slow());
        assertThat(other.locator("#run-status")).hasText("running", slow());
        String before = other.locator("#steer-val-lr").inputValue();
        page.locator("#steer-range-lr").fill("400"); // lr 0.063, sent by this tab only
        assertThat(page.locator("#steer-val-lr")).hasValue("0.063");
        assertThat(other.locator("#steer-val-lr")).hasValue("0.063", new com.microsoft.playwright.assertions
                .LocatorAssertions.HasValueOptions().setTimeout(TIMEOUT_MS));
        assertFalse(before.equals("0.063"), "the other tab showed the old lr first: " + before);
        assertThat(other.locator("#steer-note")).containsText("lr → 0.063 from step");
        assertThat(other.locator("#steer-note")).containsText("set elsewhere");
        assertThat(page.locator("#steer-note")).containsText("0.063 sent; in effect from step");
        screenshot(other, "other-tab");
        send("POST", "/api/runs/" + id + "/stop", "{}");
        assertThat(page.locator("#run-status")).hasText("stopped", slow());
    }

    @Test
    void aCountRunShowsNoEmptyChartOrEmbedding() throws Exception {
        String counts = trainedRun("{\"model\":\"ngram\",\"context\":1}");
        String mlp = trainedRun(SHORT_MLP);
        open(page, base + "/#/runs/" + counts);
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        assertThat(page.locator("#count-note")).containsText("dev NLL");
        assertThat(page.locator("#loss-panel")).isHidden();
        assertThat(page.locator("#emb-panel")).isHidden();
        assertThat(page.locator("#samples li").first()).isVisible();
        // the samples take the row the embedding left
        assertTrue(page.locator("#samples-panel").boundingBox().width > page.locator("#run-view").boundingBox().width * 0.9);
        screenshot(page, "count-run");
        open(page, base + "/#/runs/" + mlp); // a trained model keeps both
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        assertThat(page.locator("#loss-panel")).isVisible();
        assertThat(page.locator("#emb-panel")).isVisible();
        assertThat(page.locator("#count-note")).isHidden();
    }

    @Test
    void blockSizeOffersOnlyWhatTheServerTakes() throws Exception {
        JsonNode context = null;
        for (JsonNode m : get("/api/models")) {
            for (JsonNode f : m.path("fields")) {
                if (m.path("name").asText().equals("transformer") && f.path("name").asText().equals("context")) {
                    context = f;
                }
            }
        }
        assertEquals("longest item + 1", context.path("auto").asText(), "the registry says what 0 picks");
        open(page, base + "/");
        page.locator("[data-model=transformer]").click();
        assertThat(page.locator("#range-context")).hasCount(0);
        assertEquals(List.of("0"), page.evaluate("() => [...document.querySelectorAll('#val-context option')].map(o => o.value)"));
        assertThat(page.locator("#val-context option")).hasText("auto");
        assertThat(page.locator("#hint-context")).containsText("auto (0): the longest item + 1 of the chosen data");
        screenshot(page, "block-size");
        page.evaluate("() => { location.hash = '#/sweeps'; }"); // nor is it offered to a sweep
        assertThat(page.locator("#sweep-field-0 option").first()).isAttached();
        assertEquals(0, page.locator("#sweep-field-0 option[value=context]").count());
        // a link with the exact value keeps it, beside auto
        String cfg = "{\"dataset\":\"names\",\"model\":\"transformer\",\"context\":16,\"steps\":10}";
        open(page, base + "/#/new?config=" + URLEncoder.encode(cfg, StandardCharsets.UTF_8));
        assertThat(page.locator("#val-context")).hasValue("16");
        assertEquals(List.of("0", "16"), page.evaluate("() => [...document.querySelectorAll('#val-context option')].map(o => o.value)"));
    }

    @Test
    void screenshotsAt390And1024And1440() throws Exception {
        String mlp = trainedRun(SHORT_MLP);
        for (int width : new int[] {390, 1024, 1440}) {
            page.setViewportSize(width, width == 390 ? 844 : width == 1024 ? 768 : 900);
            open(page, base + "/");
            page.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of(System.getProperty(
                    "mm.screenshots.dir", "target/screenshots")).resolve("ergo-new-" + width + ".png")));
            open(page, base + "/#/runs/" + mlp);
            assertThat(page.locator("#run-status")).hasText("finished", slow());
            assertThat(page.locator("#embedding")).hasAttribute("data-points", "27");
            page.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of(System.getProperty(
                    "mm.screenshots.dir", "target/screenshots")).resolve("ergo-run-" + width + ".png")));
        }
    }
}
