package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An lr sweep of 10 MLP points from the page's form trains them together (the default: one batched model for points of
 * the same shapes, 8 or more of them): every point is running at once, far more than the machine's trainers would run
 * one point each, and stopping the sweep stops each mid-training with its own curve and dev.
 */
class SweepGroupPageTest extends PageHarness {

    @Test
    void anLrSweepOfTenPointsRunsThemAllAtOnceAndStopsEachWithItsOwnDev() throws Exception {
        mlpForm("16", "4", "200000", "2000");
        page.locator("#exp-sweep").click();
        page.locator("#sweep-field-0").selectOption("lr");
        page.locator("#sweep-mode-0").selectOption("values");
        page.locator("#sweep-values-0").fill("0.02, 0.03, 0.05, 0.07, 0.1, 0.13, 0.17, 0.2, 0.25, 0.3");
        page.locator("#sweep-seeds").fill("1");
        page.locator("#sweep-run").click();
        page.waitForURL("**/#/sweeps/*");
        String id = page.url().substring(page.url().indexOf("#/sweeps/") + "#/sweeps/".length());

        int trainers = makemore.lab.RunService.defaultConcurrency();
        assertTrue(trainers < 10, "this machine has " + trainers + " trainers: the test needs fewer than its 10 points");
        assertThat(page.locator("#sw-points tr[data-status=running]")).hasCount(10,
                new LocatorAssertions.HasCountOptions().setTimeout(TIMEOUT_MS));
        assertThat(page.locator("#sw-points tr[data-status=queued]")).hasCount(0);
        screenshot(page, "together");

        page.locator("#sw-control-open").click();
        page.locator("#sw-stop").click();
        page.locator("#sw-stop").click(); // the second click stops (the first names what it stops)
        assertThat(page.locator("#sw-status")).hasText("stopped", slow());
        JsonNode sweep = get("/api/sweeps/" + id);
        assertEquals(10, sweep.path("points").size());
        Set<Double> devs = new HashSet<>();
        for (JsonNode p : sweep.path("points")) {
            assertEquals("stopped", p.path("status").asText(), "point " + p);
            assertTrue(p.path("step").asLong() > 0, "every point was training when stopped: " + p);
            double dev = p.path("dev").asDouble();
            assertTrue(dev > 0 && dev < Math.log(27), "its own dev, below the uniform model's: " + p);
            devs.add(dev);
            // its run's stored curve is its own: progress points at its own learning rate
            JsonNode run = get("/api/runs/" + p.path("run").asText());
            double lr = run.path("config").path("lr").asDouble();
            assertEquals(p.path("params").path("lr").asDouble(), lr, 1e-12, "the run's config is the point's: " + p);
        }
        assertEquals(10, devs.size(), "ten learning rates, ten devs: " + devs);
    }
}
