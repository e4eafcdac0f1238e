package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Inside a prediction (#/inside): a small transformer's attention grid has a map per layer and head whose hovered
 * weight is the API's, and an MLP's characters are shaded by the API's influence, a click choosing the position.
 */
class InsidePageTest extends PageHarness {
    @Test
    void attentionGridAndInfluenceShadingShowTheApisNumbers() throws Exception {
        String tf = trainedRun("{\"model\":\"transformer\",\"layers\":2,\"heads\":2,\"embDim\":16,\"steps\":30,"
                + "\"evalEvery\":30}");
        String mlp = trainedRun("{\"model\":\"mlp\",\"context\":3,\"steps\":300,\"evalEvery\":100,\"hidden\":16}");
        page.setViewportSize(390, 900);
        open(page, base + "/#/inside?ids=" + tf + "&text=emma");
        assertThat(page.locator("#in-attention")).hasAttribute("data-state", "shown");
        assertThat(page.locator(".att-map")).hasCount(4);
        assertThat(page.locator(".att-map").first().locator(".att-w")).hasCount(25);
        JsonNode att = get("/api/runs/" + tf + "/attention?text=emma");
        double want = att.path("layers").get(1).get(1).get(3).get(1).asDouble();
        page.locator(".att-map[data-layer='1'][data-head='1'] .att-w[data-i='3'][data-j='1']").hover();
        Locator read = page.locator("#in-att-read");
        assertThat(read).hasText(String.format(Locale.ROOT, "layer 2 head 2 · from m to e: %.3f", want));
        assertEquals(want, Double.parseDouble(read.getAttribute("data-w")), 1e-9);
        // the keyboard reads the same maps: focus one, move up a row
        page.locator(".att-map[data-layer='0'][data-head='0']").focus();
        page.keyboard().press("ArrowUp");
        double up = att.path("layers").get(0).get(0).get(3).get(0).asDouble();
        assertThat(read).hasText(String.format(Locale.ROOT, "layer 1 head 1 · from m to .: %.3f", up));
        assertThat(page.locator("#in-influence")).hasAttribute("data-state", "shown");
        assertThat(page.locator(".in-tok")).hasCount(5);
        assertTrue((Boolean) page.evaluate("() => document.documentElement.scrollWidth <= innerWidth"),
                "no sideways scroll at 390 px");

        open(page, base + "/#/inside?ids=" + mlp + "&text=emma");
        assertThat(page.locator("#in-attention")).containsText("for transformer runs");
        assertThat(page.locator(".in-tok")).hasCount(5);
        assertThat(page.locator(".in-tok").nth(4)).hasAttribute("aria-pressed", "true");
        page.locator(".in-tok").nth(2).click();
        assertThat(page.locator(".in-tok").nth(2)).hasAttribute("aria-pressed", "true");
        JsonNode f = get("/api/runs/" + mlp + "/influence?text=emma&position=2");
        for (int j = 0; j < 5; j++) {
            assertEquals(f.path("influence").get(j).asDouble(),
                    Double.parseDouble(page.locator(".in-tok").nth(j).getAttribute("data-w")), 1e-12, "token " + j);
        }
        assertTrue(f.path("influence").get(0).asDouble() > 0 && f.path("influence").get(3).asDouble() == 0,
                "the start read, the characters after the position not");
        page.keyboard().press("ArrowLeft"); // focus stays on the chosen character; Enter on another chooses it
        page.keyboard().press("Shift+Tab");
        page.keyboard().press("Enter");
        assertThat(page.locator(".in-tok").nth(1)).hasAttribute("aria-pressed", "true");
        assertTrue((Boolean) page.evaluate("() => document.documentElement.scrollWidth <= innerWidth"),
                "no sideways scroll at 390 px");
        // the chosen position is in the link: opened afresh, it explains the same prediction
        assertTrue(page.url().endsWith("&position=1"), page.url());
        open(page, page.url());
        page.reload();
        assertThat(page.locator(".in-tok").nth(1)).hasAttribute("aria-pressed", "true");
        assertThat(page.locator(".in-tok").nth(4)).hasAttribute("aria-pressed", "false");
    }
}
