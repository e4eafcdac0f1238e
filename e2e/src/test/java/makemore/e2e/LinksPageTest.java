package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Links as a person follows them: a broken one says what is wrong with it (and loads nothing), and back/forward bring
 * each form view back with the values it had there, not those of the run opened since.
 */
class LinksPageTest extends PageHarness {

    @Test
    void aBrokenLinkSaysWhatIsWrong() {
        open(page, base + "/");
        page.locator("[data-model=mlp]").click();
        typeValue("hidden", "77");
        open(page, base + "/#/new?config=%7Bbad");
        assertThat(page.locator("#global-error")).isVisible();
        assertThat(page.locator("#global-error-text")).containsText("This re-run link is broken");
        assertThat(page.locator("#global-error-text")).containsText("not valid JSON");
        open(page, base + "/#/new?config=%5B1%5D");
        assertThat(page.locator("#global-error-text")).containsText("must be a JSON object of run settings, not a list");
        open(page, base + "/#/new?config=");
        assertThat(page.locator("#global-error-text")).containsText("empty config");
        open(page, base + "/#/sweeps?def=%7B%22base%22");
        assertThat(page.locator("#global-error")).isVisible();
        assertThat(page.locator("#global-error-text")).containsText("sweep re-run link");
    }

    @Test
    void backBringsTheSweepFormAndFinderBackAsTheyWere() throws Exception {
        String run = trainedRun("{\"model\":\"mlp\",\"hidden\":8,\"steps\":5,\"evalEvery\":5}");
        open(page, base + "/#/sweeps");
        page.locator("[data-model=mlp]").click();
        typeValue("hidden", "77");
        page.locator("[data-model=mlp]").click(); // a second history entry is not made by this
        page.evaluate("location.hash = '#/runs/" + run + "'");
        assertThat(page.locator("#val-hidden")).hasValue("8"); // the run fills the form: tweak and train again
        page.goBack();
        assertEquals(true, page.url().endsWith("#/sweeps"), page.url());
        assertThat(page.locator("#val-hidden")).hasValue("77");
        page.goForward();
        assertThat(page.locator("#val-hidden")).hasValue("8");
        // the LR finder, too
        page.evaluate("location.hash = '#/finder'");
        typeValue("hidden", "55");
        page.evaluate("location.hash = '#/runs/" + run + "'");
        assertThat(page.locator("#val-hidden")).hasValue("8");
        page.goBack();
        assertThat(page.locator("#val-hidden")).hasValue("55");
    }
}
