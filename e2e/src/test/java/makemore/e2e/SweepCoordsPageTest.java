package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.BoundingBox;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** A random sweep of three fields: parallel coordinates that brush, lines that open their runs, which field mattered. */
class SweepCoordsPageTest extends PageHarness {

    /** Random trials over three ranges, as issue 19 asks the view to be tried with. */
    private static final String THREE = "{\"base\":{\"model\":\"mlp\",\"steps\":20,\"evalEvery\":10},\"params\":["
            + "{\"field\":\"hidden\",\"range\":{\"lo\":8,\"hi\":32}},"
            + "{\"field\":\"lr\",\"range\":{\"lo\":0.05,\"hi\":0.3,\"scale\":\"log\"}},"
            + "{\"field\":\"embDim\",\"range\":{\"lo\":2,\"hi\":8}}],"
            + "\"search\":{\"kind\":\"random\",\"trials\":8,\"seed\":1}}";

    private int shown() {
        return Integer.parseInt(page.locator("#sw-pc-count").getAttribute("data-shown"));
    }

    private static long count(List<JsonNode> points, Predicate<JsonNode> keep) {
        return points.stream().filter(keep).count();
    }

    @Test
    void threeFieldSweepDrawsParallelCoordinatesThatBrushAndOpenRuns() throws Exception {
        String id = send("POST", "/api/sweeps", THREE).path("id").asText();
        open(page, base + "/#/sweeps/" + id);
        assertThat(page.locator("#sw-status")).hasText("finished", slow());
        JsonNode sweep = get("/api/sweeps/" + id);
        List<JsonNode> points = new ArrayList<>();
        sweep.path("points").forEach(points::add);
        assertEquals(8, points.size());

        assertThat(page.locator("#sw-plot-title")).hasText("Parallel coordinates");
        assertEquals(List.of("hidden", "lr", "embDim", "dev"), page.locator("#sw-pc .pc-axis").all().stream()
                .map(a -> a.getAttribute("data-key")).toList(), "one axis per swept field, then dev");
        assertThat(page.locator("#sw-pc-count")).hasAttribute("data-total", "8", slowAttr());
        assertThat(page.locator("#sw-pc-count")).hasText("8 of 8 shown");
        screenshot(page, "coords");

        // drag along the dev axis from its top (highest dev) to its middle: only lines in that dev range stay
        Locator devAxis = page.locator("#sw-pc .pc-axis[data-key=dev]");
        BoundingBox box = page.locator("#sw-pc").boundingBox();
        double x = box.x + Double.parseDouble(devAxis.getAttribute("data-x"));
        double top = box.y + Double.parseDouble(devAxis.getAttribute("data-top"));
        double bottom = box.y + Double.parseDouble(devAxis.getAttribute("data-bottom"));
        page.mouse().move(x, top + 1);
        page.mouse().down();
        page.mouse().move(x, (top + bottom) / 2, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
        page.mouse().up();
        Locator brush = devAxis.locator(".pc-brush");
        assertThat(brush).hasCount(1);
        double lo = Double.parseDouble(brush.getAttribute("data-lo"));
        double hi = Double.parseDouble(brush.getAttribute("data-hi"));
        long inDev = count(points, p -> p.path("dev").asDouble() >= lo && p.path("dev").asDouble() <= hi);
        assertTrue(inDev >= 1 && inDev < 8, "the upper half of the dev range holds some, not all: " + inDev);
        assertEquals(inDev, shown(), "the count follows the brush");
        assertThat(page.locator("#sw-pc .pc-line[data-shown=true]")).hasCount((int) inDev);
        assertThat(page.locator("#sw-pc-count")).hasText(inDev + " of 8 shown");
        assertThat(page.locator("#sw-pc-min-dev")).not().hasValue("");

        // the keyboard way: hidden at least 16 as well
        page.locator("#sw-pc-min-hidden").fill("16");
        page.locator("#sw-pc-min-hidden").press("Tab");
        long both = count(points, p -> p.path("dev").asDouble() >= lo && p.path("dev").asDouble() <= hi
                && p.path("params").path("hidden").asInt() >= 16);
        assertEquals(both, shown());
        assertThat(page.locator("#sw-pc .pc-line[data-shown=true]")).hasCount((int) both);
        page.locator("#sw-pc-clear").click();
        assertEquals(8, shown());
        assertThat(page.locator("#sw-pc .pc-brush")).hasCount(0);

        // which field mattered: a row per field with the server's share, and the rest
        JsonNode imp = sweep.path("importance");
        assertTrue(imp.path("omitted").isNull(), imp.toString());
        assertThat(page.locator("#sw-imp .imp-row")).hasCount(imp.path("fields").size() + 1);
        for (JsonNode f : imp.path("fields")) {
            assertThat(page.locator("#sw-imp .imp-row[data-field=" + f.path("field").asText() + "]"))
                    .hasAttribute("data-share", String.format(java.util.Locale.ROOT, "%.4f", f.path("share").asDouble()));
        }
        assertThat(page.locator("#sw-imp .imp-method")).containsText("functional ANOVA");

        // a click on a line opens the run under the pointer; Enter on a focused line opens its run
        Locator line = page.locator("#sw-pc .pc-line").first();
        String[] d = line.getAttribute("d").replaceAll("[ML]", " ").trim().split("\\s+");
        int n = d.length;
        double mx = box.x + (Double.parseDouble(d[n - 4]) + Double.parseDouble(d[n - 2])) / 2;
        double my = box.y + (Double.parseDouble(d[n - 3]) + Double.parseDouble(d[n - 1])) / 2;
        String under = (String) page.evaluate("([x, y]) => document.elementFromPoint(x, y).getAttribute('data-run')",
                List.of(mx, my));
        assertTrue(under != null && !under.isEmpty(), "a line lies under its own segment's midpoint");
        page.mouse().click(mx, my);
        page.waitForURL("**/#/runs/" + under);
        page.goBack();
        assertThat(page.locator("#sw-pc-count")).hasAttribute("data-total", "8", slowAttr());
        Locator last = page.locator("#sw-pc .pc-line").last();
        String run = last.getAttribute("data-run");
        last.focus();
        last.press("Enter");
        page.waitForURL("**/#/runs/" + run);
    }
}
