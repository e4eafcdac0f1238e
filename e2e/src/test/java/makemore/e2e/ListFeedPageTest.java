package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;

/**
 * Two tabs, and changes made elsewhere (the other tab, a script, a run that ends): each tab's run list stays current
 * without a reload, pushed over the list feed, also while no run is active (when nothing polls).
 */
class ListFeedPageTest extends PageHarness {

    @Test
    void twoTabsKeepTheirRunListsCurrent() throws Exception {
        open(page, base + "/");
        BrowserContext second = newContext();
        try {
            Page other = watch(second.newPage());
            open(other, base + "/");
            String id = trainedRun("{\"model\":\"ngram\",\"context\":1}"); // made and finished elsewhere
            assertThat(page.locator("#runs tr[data-id='" + id + "']")).hasCount(1);
            assertThat(other.locator("#runs tr[data-id='" + id + "']")).hasCount(1);
            send("PATCH", "/api/runs/" + id, "{\"name\":\"from a script\"}");
            assertThat(other.locator("#runs tr[data-id='" + id + "']")).containsText("from a script");
            // deleted in the first tab: the second one drops it
            page.locator("#runs tr[data-id='" + id + "'] input[type=checkbox]").check();
            page.locator("#delete-runs").click();
            page.locator("#delete-runs").click();
            assertThat(page.locator("#runs tr[data-id='" + id + "']")).hasCount(0);
            assertThat(other.locator("#runs tr[data-id='" + id + "']")).hasCount(0);
        } finally {
            second.close();
        }
    }
}
