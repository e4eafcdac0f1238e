package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The next-character explorer (#/next) and the explain strip's compare mode (#/explain), against an MLP and a count
 * bigram: the bars are the API's P(next | prefix), temperature and top-k reshape them on the page without a request,
 * a bar or "step" appends a character, and the stacked strips carry each run's mean NLL as the API gives it.
 */
class NextCharPageTest extends PageHarness {
    private String mlp;
    private String bigram;

    private void runs() throws Exception {
        if (mlp == null) {
            mlp = trainedRun("{\"model\":\"mlp\",\"steps\":300,\"evalEvery\":100,\"hidden\":16}");
            bigram = trainedRun("{\"model\":\"ngram\",\"context\":1}");
        }
    }

    /** The p each bar of run {@code id} shows, by character. */
    private List<double[]> bars(String id) {
        List<double[]> out = new ArrayList<>();
        Locator cells = page.locator(".nx-cell[data-run='" + id + "']");
        for (int i = 0; i < cells.count(); i++) {
            out.add(new double[] {Double.parseDouble(cells.nth(i).getAttribute("data-p"))});
        }
        return out;
    }

    private double shownP(String id, String ch) {
        return Double.parseDouble(page.locator(".nx-row[data-ch='" + ch + "'] .nx-cell[data-run='" + id + "']").getAttribute("data-p"));
    }

    private long apiRequests() {
        return requests.stream().filter(r -> r.contains("/api/")).count();
    }

    @Test
    void barsAreTheApisAndTemperatureAndTopKReshapeThemWithoutARequest() throws Exception {
        runs();
        page.setViewportSize(390, 900);
        open(page, base + "/#/next?ids=" + mlp + "," + bigram + "&text=em");
        assertThat(page.locator("#nx-state")).hasText("after \"em\" (2 of at most 64 characters)");
        for (String id : List.of(mlp, bigram)) {
            JsonNode api = explain(id, "em");
            JsonNode last = api.path("positions").get(api.path("positions").size() - 1).path("p");
            assertThat(page.locator(".nx-cell[data-run='" + id + "']")).hasCount(last.size());
            for (int k = 0; k < last.size(); k++) {
                String ch = api.path("vocab").get(k).asText();
                assertEquals(last.get(k).asDouble(), shownP(id, ch), 1e-12, id + ": P(" + ch + " | em)");
            }
        }
        assertTrue((Boolean) page.evaluate("() => document.documentElement.scrollWidth <= innerWidth"), "no sideways scroll at 390 px");

        // the new-run form asks for its time estimate 250 ms after the page loads: let that land before counting
        page.waitForCondition(() -> requests.stream().anyMatch(r -> r.contains("/api/runs/estimate")));
        long before = apiRequests();
        String top = page.locator(".nx-row").first().getAttribute("data-ch");
        double topAt1 = shownP(mlp, top);
        page.locator("#nx-temp").focus();
        for (int i = 0; i < 14; i++) {
            page.keyboard().press("ArrowLeft"); // T = e^(-14/20), about 0.5: the likeliest character gains
        }
        assertThat(page.locator("#nx-temp-val")).hasText("0.50");
        assertTrue(shownP(mlp, top) > topAt1, "a lower temperature sharpens the bars: " + shownP(mlp, top) + " vs " + topAt1);
        page.locator("#nx-topk").fill("1");
        for (String id : List.of(mlp, bigram)) {
            long nonzero = bars(id).stream().filter(p -> p[0] > 0).count();
            assertEquals(1, nonzero, id + ": top-k 1 leaves one bar");
        }
        page.waitForTimeout(300);
        assertEquals(before, apiRequests(), "reshaping asks the server nothing: " + requests);
    }

    @Test
    void aBarOrStepAppendsACharacterAndTheEndFinishesTheName() throws Exception {
        runs();
        open(page, base + "/#/next?ids=" + mlp);
        assertThat(page.locator("#nx-state")).hasText("at the start of a name");
        // at the start: the first position of any explanation
        JsonNode start = explain(mlp, "a").path("positions").get(0).path("p");
        JsonNode vocab = explain(mlp, "a").path("vocab");
        assertEquals(start.get(5).asDouble(), shownP(mlp, vocab.get(5).asText()), 1e-12);

        Locator first = page.locator(".nx-row:not(.end)").first();
        String ch = first.getAttribute("data-ch");
        first.click();
        assertThat(page.locator("#nx-prefix")).hasValue(ch);
        assertThat(page.locator("#nx-state")).hasText("after \"" + ch + "\" (1 of at most 64 characters)");
        JsonNode after = explain(mlp, ch).path("positions").get(1).path("p");
        assertEquals(after.get(1).asDouble(), shownP(mlp, vocab.get(1).asText()), 1e-12, "the bars follow the prefix");

        Locator next = page.locator(".nx-row:not(.end)").first(); // the keyboard: Enter on a focused bar appends it
        String ch2 = next.getAttribute("data-ch");
        next.focus();
        page.keyboard().press("Enter");
        assertThat(page.locator("#nx-prefix")).hasValue(ch + ch2);
        assertThat(page.locator("#nx-state")).containsText("(2 of at most");

        page.locator("#nx-step").click(); // a character of the vocabulary, or the end
        page.waitForFunction("() => document.querySelector('#nx-prefix').value.length === 3"
                + " || document.querySelector('#nx-state').dataset.finished === 'true'");
        String stepped = page.locator("#nx-prefix").inputValue();
        if (stepped.length() == 3) {
            String c = stepped.substring(2);
            boolean known = false;
            for (JsonNode v : vocab) {
                known |= v.asText().equals(c);
            }
            assertTrue(known, "step drew '" + c + "', not in " + vocab);
            page.locator(".nx-row.end").click();
        }
        assertThat(page.locator("#nx-state")).hasAttribute("data-finished", "true");
        assertThat(page.locator("#nx-state")).containsText("is finished");
        assertThat(page.locator("#nx-step")).isDisabled();

        page.locator("#nx-prefix").fill("e1"); // said on the page, before any request
        assertThat(page.locator(".nx-run[data-run='" + mlp + "'] .err")).hasText("'1' is not a character of this run's data");
    }

    @Test
    void theStripComparesATextUnderTwoRunsWithTheirNlls() throws Exception {
        runs();
        open(page, base + "/#/runs/" + mlp);
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        page.locator("#probe-word").fill("emma");
        page.locator("#probe-btn").click();
        page.locator("#probe-out").hover();
        page.locator("#probe-explain .x-compare").click();
        assertThat(page.locator("#xc-out")).hasAttribute("data-state", "shown");
        page.locator("#xc-runs select[data-slot='1']").selectOption(bigram);
        Locator labels = page.locator("#xc-out .xc-label");
        assertThat(labels).hasCount(2);
        assertThat(page.locator("#xc-out .pos")).hasCount(2 * 5);
        for (String id : List.of(mlp, bigram)) {
            double nll = explain(id, "emma").path("nll").asDouble();
            Locator label = page.locator(".xc-label[data-run='" + id + "']");
            assertEquals(nll, Double.parseDouble(label.getAttribute("data-nll")), 1e-12, id);
            assertThat(label).containsText(String.format(Locale.ROOT, "mean NLL %.4f", nll));
        }
        // one winner a position, and it is the run whose cell has the higher p
        for (int i = 0; i < 5; i++) {
            double a = Double.parseDouble(page.locator(".pos[data-run='" + mlp + "']").nth(i).getAttribute("data-p"));
            double b = Double.parseDouble(page.locator(".pos[data-run='" + bigram + "']").nth(i).getAttribute("data-p"));
            assertNotEquals(a, b);
            assertThat(page.locator(".pos[data-run='" + (a > b ? mlp : bigram) + "']").nth(i)).hasClass(Pattern.compile("\\bbest\\b"));
            assertThat(page.locator(".pos[data-run='" + (a > b ? bigram : mlp) + "']").nth(i)).not().hasClass(Pattern.compile("\\bbest\\b"));
        }
        assertTrue(page.url().contains("#/explain?ids=" + mlp + "," + bigram + "&text=emma"), page.url());
        page.setViewportSize(390, 900); // the grid scrolls inside its box, the page does not
        assertTrue((Boolean) page.evaluate("() => document.documentElement.scrollWidth <= innerWidth"), "no sideways scroll at 390 px");
    }

    @Test
    void aBusyServerIsAskedAgainThenSaidToBeBusy() throws Exception {
        runs();
        allowStatus(429);
        AtomicInteger busy = new AtomicInteger(2); // the server's bound on explanations answers 429 meanwhile
        page.route(url -> url.contains("/explain?text="), route -> {
            if (busy.getAndDecrement() > 0) {
                route.fulfill(new Route.FulfillOptions().setStatus(429).setContentType("application/json")
                        .setBody("{\"error\":\"another explanation is being computed; try again when it is done\"}"));
            } else {
                route.resume();
            }
        });
        open(page, base + "/#/next?ids=" + mlp + "&text=em");
        assertThat(page.locator(".nx-cell[data-run='" + mlp + "']").first()).hasAttribute("data-p", Pattern.compile("\\d"));
        assertEquals(3, requests.stream().filter(r -> r.contains("/explain?text=em")).count(), "two 429s, then the answer");

        busy.set(100);
        page.locator("#nx-prefix").fill("emm");
        assertThat(page.locator(".nx-run[data-run='" + mlp + "'] .err"))
                .hasText("the server is busy with other explanations; try again in a moment");
    }

    @Test
    void aRunStillTrainingAnswersWithItsBestDevParametersAndSaysFromWhichStep() throws Exception {
        // its first evaluation saves parameters
        String id = trainingRunWithParameters("{\"model\":\"mlp\",\"steps\":200000,\"evalEvery\":2000,\"hidden\":16}");
        open(page, base + "/#/next?ids=" + id + "&text=an");
        assertThat(page.locator(".nx-run[data-run='" + id + "'] .x-step"))
                .hasText(Pattern.compile("^parameters from step [\\d,]+ \\(best dev so far; still training\\)$"));
        assertThat(page.locator(".nx-cell[data-run='" + id + "']")).hasCount(explain(id, "an").path("vocab").size());
        stopLiveRuns();
    }
}
