package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** ASHA from the sweep form: the sweep view shows its rungs and each trial's dev there, linked to its run. */
class AshaPageTest extends PageHarness {
    @Test
    void anAshaSweepFromTheFormShowsItsRungs() throws Exception {
        open(page, base + "/");
        page.locator("[data-model=mlp]").click();
        typeValue("steps", "180");
        typeValue("evalEvery", "20");
        typeValue("hidden", "16");
        page.locator("#exp-sweep").click();
        page.locator("#sweep-search").selectOption("asha");
        page.locator("#sweep-field-0").selectOption("lr");
        page.locator("#sweep-mode-0").selectOption("range");
        page.locator("#sweep-lo-0").fill("0.001");
        page.locator("#sweep-hi-0").fill("1");
        page.locator("#sweep-scale-0").selectOption("log");
        assertEquals(0, page.locator("#sweep-points-0").count(), "trials are drawn: a range has no point count");
        page.locator("#sweep-trials").fill("6");
        page.locator("#sweep-eta").fill("2"); // the first rung left empty: the server's default, steps / eta^2 at an evaluation
        assertThat(page.locator("#sweep-count")).containsText("rungs at 40, 80, 160, 180 steps");
        page.locator("#sweep-eta").fill("3");
        page.locator("#sweep-minsteps").fill("20");
        assertThat(page.locator("#sweep-count")).containsText("rungs at 20, 60, 180 steps");
        page.locator("#sweep-run").click();
        page.waitForURL("**/#/sweeps/*");
        String id = page.url().substring(page.url().indexOf("#/sweeps/") + "#/sweeps/".length());
        assertThat(page.locator("#sw-status")).hasText("finished", slow());
        Locator rungs = page.locator("#sw-rungs tr");
        assertThat(rungs).hasCount(3);
        assertThat(rungs.nth(0)).containsText("6 reached");
        assertThat(page.locator("#sw-asha-note")).containsText("5-step cooldown"); // the default: first rung / 4
        JsonNode api = get("/api/sweeps/" + id + "/rungs");
        for (int k = 0; k < 3; k++) { // the page says what the database decided
            assertThat(rungs.nth(k)).containsText(api.path("rungs").get(k).path("reached").asInt() + " reached");
        }
        assertThat(rungs.nth(0)).containsText(api.path("rungs").get(0).path("promoted").asInt() + " went on");
        Locator trials = page.locator("#sw-asha-trials tr");
        assertThat(trials).hasCount(6);
        assertTrue(page.locator("#sw-asha-trials td.rung-cell.stopped").count() >= 1, "some trial was pruned at a rung");
        screenshot(page, "rungs");
        Locator winner = trials.nth(0); // furthest first: a trial that ran the full budget
        assertEquals("3", winner.getAttribute("data-reached"));
        String run = winner.locator("td.rung-cell.full a").getAttribute("href");
        winner.locator("td.rung-cell.full a").click();
        assertTrue(run.startsWith("#/runs/"), run);
        assertThat(page).hasURL(Pattern.compile(".*" + run.replace("/", "\\/") + "$")); // run ids are letters and digits
    }
}
