package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;

/** Phone, laptop, wide screen: no horizontal scrolling in any view, the controls and charts within reach. */
class LayoutPageTest extends PageHarness {

    private void assertFits(String what, int width) {
        Object sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth,"
                + " document.getElementById('train').getBoundingClientRect().right,"
                + " document.getElementById('stop').getBoundingClientRect().right]");
        java.util.List<?> s = (java.util.List<?>) sizes;
        int scroll = ((Number) s.get(0)).intValue();
        int inner = ((Number) s.get(1)).intValue();
        assertTrue(scroll <= inner, what + " at " + width + " px scrolls sideways: scrollWidth " + scroll + " > " + inner);
        assertTrue(((Number) s.get(2)).doubleValue() <= inner, what + ": Train is cut off at " + width);
        assertTrue(((Number) s.get(3)).doubleValue() <= inner, what + ": Stop is cut off at " + width);
    }

    @Test
    void noHorizontalOverflowAt390And1024And1440() throws Exception {
        String mlp = trainedRun("{\"model\":\"mlp\",\"steps\":300,\"evalEvery\":100,\"hidden\":16}");
        String ngram = trainedRun("{\"model\":\"ngram\",\"context\":1}");
        send("PATCH", "/api/runs/" + mlp, "{\"name\":\"a rather long run name to test the wrapping of names\","
                + "\"note\":\"tried a smaller hidden layer\"}");
        for (int width : new int[] {390, 1024, 1440}) {
            page.setViewportSize(width, 900);
            open(page, base + "/#/runs/" + mlp);
            assertThat(page.locator("#run-status")).hasText("finished", slow());
            assertThat(page.locator("#embedding")).hasAttribute("data-points", "27");
            page.waitForTimeout(400); // the embedding glides into place
            assertFits("the run view", width);
            assertTrue(page.locator("#loss-chart canvas").first().boundingBox().width <= width, "the chart resizes");
            assertThat(page.locator("#embedding")).hasAttribute("data-overlaps", "0"); // nudged apart
            String[] xy = page.locator("#embedding").getAttribute("data-first").split(",");
            page.locator("#embedding").hover(new com.microsoft.playwright.Locator.HoverOptions().setPosition(
                    Double.parseDouble(xy[0]), Double.parseDouble(xy[1])));
            assertThat(page.locator("#emb-tip")).containsText("nearest: '");
            screenshot(page, "run-" + width);
            if (width == 390) { // what a phone shows, screen by screen
                for (String id : new String[] {"controls-panel", "loss-chart", "samples-panel", "runs-panel"}) {
                    page.locator("#" + id).scrollIntoViewIfNeeded();
                    page.screenshot(new Page.ScreenshotOptions().setPath(java.nio.file.Path.of(System.getProperty(
                            "mm.screenshots.dir", "target/screenshots")).resolve("phone-" + id + ".png")));
                }
            }
            open(page, base + "/#/compare?ids=" + mlp + "," + ngram);
            assertThat(page.locator("#compare-chart")).hasAttribute("data-lines", "1");
            assertFits("the compare view", width);
            open(page, base + "/#/new");
            page.locator("[data-model=ngram]").click();
            assertThat(page.locator("#heatmap")).hasAttribute("data-cells", "729");
            assertFits("the n-gram explorer", width);
            if (width == 390) {
                screenshot(page, "ngram-390");
            }
            page.locator("[data-model=mlp]").click();
        }
        page.setViewportSize(1440, 900);
        open(page, base + "/#/runs/" + mlp);
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        Page p = page;
        p.locator("#loss-chart .u-over").hover();
        assertThat(p.locator("#loss-chart .u-legend")).containsText("train NLL");
    }
}
