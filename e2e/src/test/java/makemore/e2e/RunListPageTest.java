package makemore.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import makemore.config.RunConfig;
import makemore.store.RunStore;
import makemore.store.SweepStore;
import makemore.sweep.SweepDefinition;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand stored runs (10 sweeps of 500 points, 5,000 outside sweeps), written to the lab's database before it
 * opens: the API answers a page, the page draws its first rows fast, filters and sorts on the server, folds each
 * sweep into a row that opens to its runs, and caps compare at 20 ticked runs.
 */
class RunListPageTest extends PageHarness {
    private static final int SWEEPS = 10;
    private static final int POINTS = 500;
    private static final int LOOSE = 5000;
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Override
    void seed(Path db) throws IOException {
        try (RunStore store = new RunStore(db.toString())) {
            new SweepStore(store); // its tables
        }
        String mlp = RunConfig.fromJson("{\"dataset\":\"names\",\"model\":\"mlp\"}").toJson();
        String ngram = RunConfig.fromJson("{\"dataset\":\"names\",\"model\":\"ngram\",\"context\":1}").toJson();
        SweepDefinition def = SweepDefinition.parse("{\"base\":{\"model\":\"mlp\"},\"params\":[{\"field\":\"lr\","
                + "\"range\":{\"lo\":0.001,\"hi\":1,\"points\":" + POINTS + ",\"scale\":\"log\"}}],\"seeds\":1}");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.setAutoCommit(false);
            try (PreparedStatement run = c.prepareStatement("INSERT INTO runs (id, created, dataset, model, config,"
                    + " status, message, step, best_dev, name) VALUES (?, ?, 'names', ?, ?, ?, ?, 300, ?, ?)");
                    PreparedStatement sweep = c.prepareStatement("INSERT INTO sweeps (id, created, hash, definition,"
                            + " base, status, points) VALUES (?, ?, ?, ?, ?, 'running', ?)");
                    PreparedStatement point = c.prepareStatement("INSERT INTO sweep_points (sweep_id, point, run_id)"
                            + " VALUES (?, ?, ?)")) {
                for (int s = 0; s < SWEEPS; s++) {
                    sweep.setString(1, "sw" + s);
                    sweep.setString(2, T0.plusSeconds(s * POINTS).toString());
                    sweep.setString(3, def.hash());
                    sweep.setString(4, def.toJson());
                    sweep.setString(5, def.base().toJson());
                    sweep.setInt(6, POINTS);
                    sweep.addBatch();
                    for (int p = 0; p < POINTS; p++) {
                        // sweep runs hold the best devs (1.9..1.95, one at 1.0): a best-dev search must reach into sweeps
                        double dev = s == 0 && p == 0 ? 1.0 : 1.9 + (p * 13 % POINTS) / 10_000.0 + s / 1e6;
                        addRun(run, "s" + s + "p" + p, s * POINTS + p, "mlp", mlp, "finished", dev, null);
                        point.setString(1, "sw" + s);
                        point.setInt(2, p);
                        point.setString(3, "s" + s + "p" + p);
                        point.addBatch();
                    }
                }
                for (int i = 0; i < LOOSE; i++) {
                    boolean even = i % 2 == 0;
                    String name = i % 1000 == 7 ? "zebra-" + i : null; // five of them
                    addRun(run, "r" + i, 10_000 + i, even ? "mlp" : "ngram", even ? mlp : ngram,
                            i % 10 == 3 ? "stopped" : "finished", 2.0 + (i * 7919 % LOOSE) / 10_000.0, name);
                }
                sweep.executeBatch();
                run.executeBatch();
                point.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }

    private static void addRun(PreparedStatement p, String id, int second, String model, String config, String status,
            double dev, String name) throws SQLException {
        p.setString(1, id);
        p.setString(2, T0.plusSeconds(second).toString());
        p.setString(3, model);
        p.setString(4, config);
        p.setString(5, status);
        p.setString(6, status);
        p.setDouble(7, dev);
        p.setString(8, name);
        p.addBatch();
    }

    private Locator runRows() {
        return page.locator("#runs tr[data-id]");
    }

    private List<Double> devs() {
        List<Double> out = new ArrayList<>();
        for (String t : page.locator("#runs tr[data-id] td:nth-child(6)").allTextContents()) {
            out.add(Double.parseDouble(t.trim()));
        }
        return out;
    }

    @Test
    void theApiAnswersAPageAndTheCount() throws Exception {
        long t = System.nanoTime();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                .build(), HttpResponse.BodyHandlers.ofString());
        long ms = (System.nanoTime() - t) / 1_000_000;
        assertEquals(200, r.statusCode());
        assertEquals(100, JSON.readTree(r.body()).size());
        assertEquals("10000", r.headers().firstValue("X-Total-Count").orElse(""));
        assertTrue(r.body().length() < 200_000, "a page is small: " + r.body().length() + " bytes");
        System.out.printf("GET /api/runs with 10,000 runs: %d ms, %d bytes%n", ms, r.body().length());
    }

    @Test
    void theListShowsFastAndFiltersOnTheServer() {
        long t = System.nanoTime();
        page.navigate(base + "/");
        assertThat(runRows().first()).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(3000));
        long firstRow = (System.nanoTime() - t) / 1_000_000;
        assertThat(runRows()).hasCount(100);
        assertThat(page.locator("#runs-count")).hasText("100 of 5,000 · 10 sweeps");
        assertThat(page.locator("#runs tr.sweep-row")).hasCount(SWEEPS);
        assertThat(runRows().first()).hasAttribute("data-id", "r4999"); // newest first
        System.out.printf("run list: first row %d ms after navigation (the list's own request and drawing: %s ms)%n",
                firstRow, page.locator("#runs-panel").getAttribute("data-load-ms"));

        // a name: only the matching runs; the filter searches every run, and says so
        t = System.nanoTime();
        page.locator("#rf-name").fill("zebra");
        assertThat(page.locator("#runs-count")).hasText("5 of 5");
        long filtered = (System.nanoTime() - t) / 1_000_000;
        assertThat(runRows()).hasCount(5);
        for (String name : page.locator("#runs tr[data-id] a.run-link").allTextContents()) {
            assertTrue(name.startsWith("zebra-"), name);
        }
        assertThat(page.locator("#runs tr.sweep-row")).hasCount(0);
        assertThat(page.locator("#runs-mode")).containsText("sweep runs included");
        System.out.printf("name filter: the 5 matching rows %d ms after typing (150 ms of it the typing pause;"
                + " the request and drawing: %s ms)%n", filtered, page.locator("#runs-panel").getAttribute("data-load-ms"));
        // typed on, the newer filter wins whatever answer comes last
        page.locator("#rf-name").pressSequentially("-2007");
        assertThat(runRows()).hasCount(1);
        assertThat(runRows().first()).hasAttribute("data-id", "r2007");
        page.locator("#runs-clear").click();
        assertThat(page.locator("#runs-count")).hasText("100 of 5,000 · 10 sweeps");

        // best dev first: ascending, and the best run sits in a sweep
        page.locator("#rf-sort").selectOption("bestDev");
        assertThat(runRows().first()).hasAttribute("data-id", "s0p0");
        List<Double> d = devs();
        assertEquals(100, d.size());
        for (int i = 1; i < d.size(); i++) {
            assertTrue(d.get(i - 1) <= d.get(i), "ascending best dev: " + d);
        }
        // top 5
        page.locator("#rf-top").fill("5");
        assertThat(runRows()).hasCount(5);
        assertThat(page.locator("#runs-more")).isHidden();
        assertEquals(d.subList(0, 5), devs());
        page.locator("#rf-top").fill("");
        // model and dev below, together
        page.locator("#rf-model").selectOption("ngram");
        page.locator("#rf-dev").fill("2.1");
        assertThat(page.locator("#runs-mode")).containsText("best dev below 2.1");
        assertThat(page.locator("#runs-count")).hasText(Pattern.compile("^\\d+ of \\d[\\d,]*$"));
        for (String m : page.locator("#runs tr[data-id] td:nth-child(3)").allTextContents()) {
            assertEquals("ngram", m);
        }
        assertTrue(devs().stream().allMatch(v -> v < 2.1), "all below 2.1: " + devs());
    }

    @Test
    void aSweepRowOpensToItsRunsAndStaysOpen() throws Exception {
        open(page, base + "/");
        Locator row = page.locator("#runs tr.sweep-row[data-sweep=sw3]");
        Locator toggle = row.locator("button.sweep-toggle");
        assertThat(toggle).hasAttribute("aria-expanded", "false");
        assertThat(row).containsText("500");
        assertThat(row.locator("td:nth-child(6)")).hasText("1.9000"); // the best dev of its runs (GET /api/sweeps)
        toggle.click();
        assertThat(toggle).hasAttribute("aria-expanded", "true");
        assertThat(page.locator("#runs tr.in-sweep")).hasCount(100);
        assertThat(page.locator("#runs tr.in-sweep").first()).hasAttribute("data-id", Pattern.compile("^s3p"));
        page.locator("#runs tr.more-row[data-sweep-more=sw3] button").click();
        assertThat(page.locator("#runs tr.in-sweep")).hasCount(200);
        // a change elsewhere re-reads the list; the open sweep stays open
        send("PATCH", "/api/runs/r4999", "{\"name\":\"renamed elsewhere\"}");
        assertThat(page.locator("#runs tr[data-id=r4999]")).containsText("renamed elsewhere");
        assertThat(toggle).hasAttribute("aria-expanded", "true");
        assertThat(page.locator("#runs tr.in-sweep")).hasCount(200);
        // the keyboard: Enter closes, Space opens
        toggle.focus();
        page.keyboard().press("Enter");
        assertThat(toggle).hasAttribute("aria-expanded", "false");
        assertThat(page.locator("#runs tr.in-sweep")).hasCount(0);
        page.keyboard().press(" ");
        assertThat(toggle).hasAttribute("aria-expanded", "true");
        assertThat(page.locator("#runs tr.in-sweep")).hasCount(100);
    }

    @Test
    void enterOnARowOpensTheRun() {
        open(page, base + "/");
        page.locator("#runs tr[data-id=r4998] a.run-link").focus();
        page.keyboard().press("Enter");
        page.waitForURL("**/#/runs/r4998");
        assertThat(page.locator("#run-status")).hasText("finished");
        assertThat(page.locator("#runs tr[data-id=r4998]")).hasClass(Pattern.compile("active"));
    }

    @Test
    void compareTakesUpToTwentyTickedOnAnyPage() throws Exception {
        open(page, base + "/");
        page.locator("#runs-more").click();
        assertThat(runRows()).hasCount(200);
        assertThat(page.locator("#runs-count")).hasText("200 of 5,000 · 10 sweeps");
        page.locator("#runs tr.sweep-row[data-sweep=sw1] button.sweep-toggle").click();
        assertThat(page.locator("#runs tr.in-sweep")).hasCount(100);
        List<String> ids = new ArrayList<>(List.of("s1p0", "s1p1"));
        for (int i = 0; i < 19; i++) {
            ids.add("r" + (4999 - i * 10)); // down to r4819, on the second page
        }
        for (String id : ids) {
            page.locator("#runs tr[data-id=" + id + "] input[type=checkbox]").check();
        }
        assertThat(page.locator("#runs-sel")).containsText("Compare takes up to 20 runs: untick 1");
        assertThat(page.locator("#compare-btn")).isDisabled();
        assertThat(page.locator("#export-csv")).isEnabled();
        page.locator("#runs tr[data-id=s1p1] input[type=checkbox]").uncheck();
        assertThat(page.locator("#compare-btn")).hasText("Compare 20");
        page.locator("#compare-btn").click();
        page.waitForURL(Pattern.compile(".*#/compare\\?ids=.*"));
        assertEquals(20, page.url().replaceAll(".*ids=", "").split(",").length, page.url());
        assertTrue(page.url().contains("s1p0") && page.url().contains("r4819"), page.url());
    }

    @Test
    void aPhoneDoesNotScrollSideways() {
        page.setViewportSize(390, 800);
        open(page, base + "/");
        page.locator("#runs tr.sweep-row[data-sweep=sw0] button.sweep-toggle").click();
        assertThat(page.locator("#runs tr.in-sweep")).hasCount(100);
        page.locator("#runs-panel").scrollIntoViewIfNeeded();
        Object w = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]");
        List<?> s = (List<?>) w;
        assertTrue(((Number) s.get(0)).intValue() <= ((Number) s.get(1)).intValue(), "scrolls sideways at 390: " + s);
        screenshot(page, "runs-390");
    }
}
