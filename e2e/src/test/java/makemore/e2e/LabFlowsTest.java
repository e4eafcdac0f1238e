package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LabFlowsTest extends LabPage {
    static final double LONG = 60_000;

    /** Types a value into a field's text box the way a person does (select, type, leave the field). */
    void setField(String field, String value) {
        Locator box = page.locator("#f-" + field);
        box.fill(value);
        box.press("Tab");
    }

    void trainSmallMlp() {
        page.navigate(url("/"));
        page.locator("#model-picker button[data-model=mlp]").click();
        setField("steps", "300");
        setField("hidden", "32");
        page.locator("#train").click();
        assertThat(page.locator("#status-badge")).hasText("finished", new com.microsoft.playwright.assertions
                .LocatorAssertions.HasTextOptions().setTimeout(LONG));
    }

    @Test
    void trainAnMlpWithTheLearningRateSliderAndWatchItLearn() {
        page.navigate(url("/"));
        page.locator("#model-picker button[data-model=mlp]").click();
        Locator lrSlider = page.locator("[data-field=lr] input[type=range]");
        lrSlider.fill("600"); // a slider position: 10^(-4 + 0.6 * 6) = 0.4
        assertEquals("0.4", page.locator("#f-lr").inputValue());
        setField("steps", "400");
        setField("hidden", "32");
        page.locator("#train").click();
        assertThat(page.locator("#status-badge")).hasText("finished", new com.microsoft.playwright.assertions
                .LocatorAssertions.HasTextOptions().setTimeout(LONG));
        assertThat(page.locator("#run-metrics")).containsText("dev");
        assertTrue(page.locator("#samples li").count() >= 12, "samples shown");
        assertThat(page.locator("#novelty")).containsText("% new");
        // the chart holds dev points: uPlot's legend shows a value when hovering the last one
        Object devPoints = page.evaluate("() => document.querySelectorAll('#loss-chart .u-legend tr').length");
        assertEquals(5, ((Number) devPoints).intValue());
        Object painted = page.evaluate("() => { const c = document.querySelector('#embedding');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + " let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) n++; return n; }");
        assertTrue(((Number) painted).intValue() > 2000, "embedding points drawn");
        String runJson = page.evaluate("() => fetch('/api/runs').then(r => r.text())").toString();
        assertTrue(runJson.contains("\"status\":\"finished\""), runJson);
    }

    @Test
    void countBigramSmoothingRescoresInstantly() {
        page.navigate(url("/"));
        page.locator("#model-picker button[data-model=ngram]").click();
        Locator nll = page.locator("#ngram-nll");
        assertThat(nll).containsText("dev 2.4");
        setField("smoothing", "0");
        assertThat(nll).containsText("dev ∞");
        setField("smoothing", "100");
        assertThat(nll).not().containsText("∞");
        String dev100 = nll.getAttribute("data-dev");
        setField("smoothing", "1");
        assertThat(nll).not().hasAttribute("data-dev", dev100);
        assertNotEquals(dev100, nll.getAttribute("data-dev"));
        Object painted = page.evaluate("() => { const c = document.querySelector('#heatmap');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + " let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) n++; return n; }");
        assertTrue(((Number) painted).intValue() > 100_000, "heatmap drawn");
        assertTrue(page.locator("#ngram-samples li").count() >= 10);
    }

    @Test
    void aCopiedRunLinkOpensTheSameRunInANewPage() {
        trainSmallMlp();
        String metrics = page.locator("#run-metrics").textContent();
        page.locator("#copy-link").click();
        String link = page.locator("#run-link").inputValue();
        assertTrue(link.matches("http://127\\.0\\.0\\.1:\\d+/#/runs/\\w+"), link);
        Page other = watch(context.newPage());
        other.navigate(link);
        assertThat(other.locator("#run-metrics")).hasText(metrics);
        assertThat(other.locator("#status-badge")).hasText("finished");
        // the word probe works on the opened run
        other.locator("#probe").fill("emma");
        assertThat(other.locator("#probe-result .ch")).hasCount(5);
        assertThat(other.locator("#probe-result")).containsText("NLL");
        other.close();
        // the re-run link carries the config: opening it trains the same config + seed to the same numbers
        page.locator("#copy-rerun").click();
        String rerun = page.locator("#run-link").inputValue();
        assertTrue(rerun.contains("/#/rerun/"), rerun);
        Page again = watch(context.newPage());
        again.navigate(rerun);
        assertThat(again).hasURL(java.util.regex.Pattern.compile(".*/#/runs/\\w+$"));
        assertNotEquals(link, again.url());
        assertThat(again.locator("#status-badge")).hasText("finished", new com.microsoft.playwright.assertions
                .LocatorAssertions.HasTextOptions().setTimeout(LONG));
        assertThat(again.locator("#run-metrics")).hasText(metrics);
        again.close();
    }

    @Test
    void anUploadedHtmlPayloadIsShownAsText() {
        page.navigate(url("/"));
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            data.append("<img src=x onerror=alert(1)>\n<b>bold</b>\n");
        }
        page.locator("#upload").setInputFiles(new FilePayload("evil.txt", "text/plain",
                data.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(page.locator("#dataset option:checked")).containsText("evil.txt");
        page.locator("#model-picker button[data-model=ngram]").click();
        assertThat(page.locator("#ngram-samples li").first()).isVisible();
        assertEquals(0, page.locator("#ngram-samples img, #ngram-samples b, #dataset img").count());
        assertTrue(page.locator("#heatmap").isVisible());
        // the samples contain the payload's characters as text
        String text = page.locator("#ngram-samples").textContent();
        assertTrue(text.contains("<") || text.contains(">") || text.contains("="), text);
        expectClientErrors = true;
        page.locator("#upload").setInputFiles(new FilePayload("blob.bin", "application/octet-stream",
                new byte[] {0, 1, 2, 3, (byte) 0xff, (byte) 0xfe}));
        assertThat(page.locator("#dataset-error")).containsText("blob.bin");
        assertThat(page.locator("#dataset-error")).containsText("UTF-8");
    }

    @Test
    void anInvalidValueIsAnInlineErrorAndSendsNothing() {
        page.navigate(url("/"));
        page.locator("#model-picker button[data-model=mlp]").click();
        AtomicInteger posts = new AtomicInteger();
        page.onRequest(r -> {
            if (r.method().equals("POST") && r.url().contains("/api/runs")) {
                posts.incrementAndGet();
            }
        });
        setField("lr", "5000");
        assertThat(page.locator("#config-error")).containsText("lr must be in (0, 1000]");
        assertThat(page.locator("#f-lr")).hasClass(java.util.regex.Pattern.compile("invalid"));
        page.locator("#train").click();
        page.waitForTimeout(300);
        assertEquals(0, posts.get(), "no run was requested");
        setField("lr", "0.1");
        assertThat(page.locator("#config-error")).isEmpty();
    }
}
