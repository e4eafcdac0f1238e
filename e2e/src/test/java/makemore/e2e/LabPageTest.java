package makemore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.FilePayload;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import makemore.web.LabOptions;
import makemore.web.LabServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * The lab page in Debian's Chromium against the real server started in-process (free port, temporary database
 * and data directory). Every test fails on a console error, an uncaught page error, a dialog, or a request that
 * leaves localhost; each leaves a screenshot in target/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabPageTest {
    static final Path CHROMIUM = Path.of(System.getProperty("mm.chromium", "/usr/bin/chromium"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final double TIMEOUT_MS = 120_000;

    private Path tmp;
    private LabServer server;
    private String base;
    private Playwright playwright;
    private Browser browser;
    private final HttpClient http = HttpClient.newHttpClient();

    private BrowserContext context;
    private Page page;
    private List<String> problems;
    private List<Pattern> allowedConsole;
    private List<String> requests;
    private String testName;

    @BeforeAll
    void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is not installed: the page tests are skipped");
        tmp = Files.createTempDirectory("makemore-e2e");
        server = LabServer.start(new LabOptions("127.0.0.1", 0, tmp.resolve("lab.db").toString(), tmp.resolve("data"),
                frontendDir()));
        base = "http://127.0.0.1:" + server.port();
        Map<String, String> env = new HashMap<>();
        env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        if (System.getenv("PLAYWRIGHT_NODEJS_PATH") == null && Files.isExecutable(Path.of("/usr/bin/node"))) {
            env.put("PLAYWRIGHT_NODEJS_PATH", "/usr/bin/node");
        }
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run",
                        "--disable-default-apps", "--disable-dev-shm-usage")));
    }

    /** The page straight from ../frontend (so edits need no rebuild), else the copy inside the jar. */
    private static Path frontendDir() {
        String p = System.getProperty("mm.frontend.dir");
        Path dir = p != null ? Path.of(p) : Path.of("..", "frontend");
        return Files.isRegularFile(dir.resolve("index.html")) ? dir.toAbsolutePath().normalize() : null;
    }

    @AfterAll
    void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (server != null) {
            server.close();
        }
        if (tmp != null) {
            try (Stream<Path> files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @BeforeEach
    void open(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
        problems = new CopyOnWriteArrayList<>();
        allowedConsole = new CopyOnWriteArrayList<>();
        requests = new CopyOnWriteArrayList<>();
        context = newContext();
        page = watch(context.newPage());
    }

    private BrowserContext newContext() {
        BrowserContext c = browser.newContext(new Browser.NewContextOptions().setViewportSize(1480, 1000));
        c.setDefaultTimeout(30_000);
        c.route("**/*", route -> {
            String url = route.request().url();
            if (isLocal(url)) {
                route.resume();
            } else {
                problems.add("request left localhost: " + url);
                route.abort();
            }
        });
        return c;
    }

    private Page watch(Page p) {
        p.onConsoleMessage(m -> {
            if (m.type().equals("error") && allowedConsole.stream().noneMatch(a -> a.matcher(m.text()).find())) {
                problems.add("console error: " + m.text() + " at " + m.location());
            }
        });
        p.onPageError(e -> problems.add("page error: " + e));
        p.onDialog(d -> {
            problems.add("dialog fired: " + d.type() + " " + d.message());
            d.dismiss();
        });
        p.onRequest(r -> {
            requests.add(r.method() + " " + r.url());
            if (!isLocal(r.url())) {
                problems.add("request left localhost: " + r.url());
            }
        });
        p.onWebSocket(ws -> {
            if (!isLocal(ws.url())) {
                problems.add("websocket left localhost: " + ws.url());
            }
        });
        return p;
    }

    private static boolean isLocal(String url) {
        if (url.startsWith("data:") || url.startsWith("blob:") || url.startsWith("about:")) {
            return true;
        }
        try {
            String host = URI.create(url).getHost();
            return "127.0.0.1".equals(host) || "localhost".equals(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Chromium logs every 4xx response as a console error; a test that provokes one on purpose allows it. */
    private void allowStatus(int status) {
        allowedConsole.add(Pattern.compile("the server responded with a status of " + status));
    }

    @AfterEach
    void close() {
        if (context == null) {
            return;
        }
        try {
            screenshot(page, "final");
        } finally {
            context.close();
            context = null;
        }
        assertTrue(problems.isEmpty(), "problems in the page: " + problems);
    }

    private void screenshot(Page p, String suffix) {
        Path dir = Path.of(System.getProperty("mm.screenshots.dir", "target/screenshots"));
        p.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(testName + "-" + suffix + ".png")).setFullPage(true));
    }

    private void typeValue(String key, String value) {
        Locator box = page.locator("#val-" + key);
        box.fill(value);
        box.press("Enter");
    }

    private String runIdFromUrl(Page p) {
        String url = p.url();
        int i = url.indexOf("#/runs/");
        assertTrue(i >= 0, "the page should show the run in its URL: " + url);
        return url.substring(i + "#/runs/".length());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static LocatorAssertions.HasTextOptions slow() {
        return new LocatorAssertions.HasTextOptions().setTimeout(TIMEOUT_MS);
    }

    // ------------------------------------------------------------------------------------------------ flows

    /** 1. Set LR with the slider, train a small MLP: dev-loss points, samples and embedding points appear. */
    @Test
    void mlpTrainsWithSliderLearningRate() throws Exception {
        page.navigate(base + "/");
        page.locator("[data-model=mlp]").click();
        typeValue("hidden", "32");
        typeValue("steps", "300");
        assertThat(page.locator("#val-evalEvery")).hasValue("15");
        page.locator("#range-lr").fill("472"); // the log slider: position 472 of 1000 is lr 0.2
        assertThat(page.locator("#val-lr")).hasValue("0.2");
        page.locator("#train").click();

        assertThat(page.locator("#run-status")).hasText("finished", slow());
        String id = runIdFromUrl(page);
        assertThat(page.locator("#run-dev")).hasText(Pattern.compile("^dev \\d+\\.\\d{4}$"));
        int devPoints = Integer.parseInt(page.locator("#loss-chart").getAttribute("data-dev-points"));
        assertTrue(devPoints >= 10, "dev points on the chart: " + devPoints);
        assertTrue(page.locator("#loss-chart canvas").count() > 0, "the loss chart is drawn");
        assertTrue(page.locator("#samples li").count() >= 10, "samples are listed");
        assertThat(page.locator("#samples-note")).hasText(Pattern.compile("new \\(\\d+% novel\\)"));
        assertThat(page.locator("#embedding")).hasAttribute("data-points", "27");
        assertThat(page.locator("#runs tr[data-id='" + id + "']")).containsText("finished");

        JsonNode run = get("/api/runs/" + id);
        assertEquals(0.2, run.path("config").path("lr").asDouble(), 1e-12, "the slider's lr went into the run");
        assertEquals(32, run.path("config").path("hidden").asInt());
        assertEquals(300, run.path("step").asLong());

        // the probe answers for the finished run
        page.locator("#probe-word").fill("emma");
        page.locator("#probe-btn").click();
        assertThat(page.locator("#probe-nll")).hasText(Pattern.compile("NLL \\d+\\.\\d{4}"));
        assertEquals(5, page.locator("#probe-out .pc").count(), "e, m, m, a and the end marker");
        page.locator("#ema").fill("0.5");
        assertThat(page.locator("#ema-val")).hasText("0.50");
        page.locator("#logy").check();
        page.locator("#loss-chart").hover();
        assertThat(page.locator("#loss-chart .u-legend")).containsText("step");
        screenshot(page, "trained");
    }

    /** 2. Count bigram: moving smoothing re-scores the dev NLL without training, and the heatmap is drawn. */
    @Test
    void countBigramSmoothingRescoresLive() {
        page.navigate(base + "/");
        page.locator("[data-model=ngram]").click();
        Locator dev = page.locator("#ngram-dev");
        assertThat(dev).hasText(Pattern.compile("^\\d+\\.\\d{4}$"));
        assertThat(page.locator("#heatmap")).hasAttribute("data-cells", "729");
        String before = dev.textContent();
        long postsBefore = requests.stream().filter(r -> r.startsWith("POST")).count();

        page.locator("#range-smoothing").fill("950"); // large k: flatter distribution, worse dev NLL
        assertThat(page.locator("#ngram-k")).not().hasText("1");
        assertThat(dev).not().hasText(before);
        String after = dev.textContent();
        assertTrue(Double.parseDouble(after) > Double.parseDouble(before), before + " -> " + after);
        assertEquals(postsBefore, requests.stream().filter(r -> r.startsWith("POST")).count(), "no Train press needed");

        // the heatmap has real contents: many distinct colours, not a blank canvas
        Object colours = page.evaluate("() => { const c = document.getElementById('heatmap');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; const s = new Set();"
                + " for (let i = 0; i < d.length; i += 4 * 97) s.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]); return s.size; }");
        assertTrue(((Number) colours).intValue() > 20, "distinct colours in the heatmap: " + colours);
        assertTrue(page.locator("#ngram-samples li").count() >= 5, "samples from the count model");
        page.locator("#heat-mode [data-mode=probs]").click();
        assertThat(page.locator("#heatmap")).hasAttribute("data-mode", "probs");
        page.locator("#heat-mode [data-mode=counts]").click();
        page.locator("#kplot").scrollIntoViewIfNeeded();
        screenshot(page, "ngram");
    }

    /** 3. Copy a run's link and open it in a fresh browser context: the same run, same final dev loss. */
    @Test
    void copiedRunLinkShowsTheSameRun() {
        page.navigate(base + "/");
        page.locator("[data-model=neural]").click();
        typeValue("steps", "40");
        typeValue("evalEvery", "10");
        page.locator("#train").click();
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        String devText = page.locator("#run-dev").textContent();
        assertTrue(devText.matches("dev \\d+\\.\\d{4}"), devText);
        String id = runIdFromUrl(page);

        page.locator("#copy-link").click();
        String link = page.locator("#share-url").inputValue();
        assertEquals(base + "/#/runs/" + id, link);

        BrowserContext other = newContext();
        try {
            Page viewer = watch(other.newPage());
            viewer.navigate(link);
            assertThat(viewer.locator("#run-status")).hasText("finished", slow());
            assertThat(viewer.locator("#run-dev")).hasText(devText);
            assertThat(viewer.locator("#mode-text")).containsText("read-only");
            assertTrue(viewer.locator("#val-steps").isDisabled(), "a shared run opens read-only");
            assertTrue(viewer.locator("#train").isDisabled(), "a shared run opens read-only");
            assertThat(viewer.locator("[data-model=neural]")).hasAttribute("aria-checked", "true");
            assertThat(viewer.locator("#val-steps")).hasValue("40");
            screenshot(viewer, "shared");

            // the re-run link carries the config itself
            page.locator("#copy-rerun").click();
            String rerun = page.locator("#share-url").inputValue();
            assertTrue(rerun.startsWith(base + "/#/new?config="), rerun);
            viewer.navigate(rerun);
            assertThat(viewer.locator("#mode-text")).containsText("Re-run link");
            assertThat(viewer.locator("#val-steps")).hasValue("40");
            assertThat(viewer.locator("#val-lr")).hasValue("50");
        } finally {
            other.close();
        }
    }

    /** 4. An uploaded dataset full of HTML is shown as text; nothing runs, no dialog fires. */
    @Test
    void uploadedHtmlIsShownAsText() {
        allowStatus(400); // the too-small file below is refused on purpose
        page.navigate(base + "/");
        page.locator("#upload-file").setInputFiles(new FilePayload("tiny.txt", "text/plain",
                "ann\nbob\ncid\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(page.locator("#err-dataset")).containsText("at least 10");

        String payload = "<img src=x onerror=alert(1)>";
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lines.add(payload);
            lines.add("<script>alert(" + i + ")</script>");
            lines.add("<b onmouseover=alert(1)>name" + i + "</b>");
        }
        page.locator("#upload-file").setInputFiles(new FilePayload("<svg onload=alert(1)>.txt", "text/plain",
                String.join("\n", lines).getBytes(StandardCharsets.UTF_8)));
        assertThat(page.locator("#upload-summary")).containsText("36 items");
        assertThat(page.locator("#err-dataset")).isHidden();
        assertThat(page.locator("#upload-preview li").first()).hasText(payload);
        assertThat(page.locator("#dataset option:checked")).containsText("<svg onload=alert(1)>.txt");

        page.locator("[data-model=ngram]").click();
        assertThat(page.locator("#ngram-dev")).hasText(Pattern.compile("^\\d+\\.\\d{4}$"));
        assertTrue(page.locator("#ngram-samples li").count() >= 5);
        assertThat(page.locator("#ngram-samples")).containsText("<");
        page.waitForTimeout(300); // give any injected handler the chance to fire
        assertEquals(0, page.locator("img, svg, b").count(), "no element was created from the dataset");
        assertEquals(0, page.locator("body script:not([src])").count(), "no inline script was created");
        screenshot(page, "upload");
    }

    /** 5. Invalid values: an inline error and no request; what only the server can judge comes back as a 400. */
    @Test
    void invalidValuesAreReportedInline() {
        allowStatus(400);
        page.navigate(base + "/");
        page.locator("[data-model=mlp]").click();
        typeValue("lr", "abc");
        assertThat(page.locator("#err-lr")).containsText("not a number");
        assertTrue(page.locator("#train").isDisabled());
        typeValue("lr", "5000");
        assertThat(page.locator("#err-lr")).containsText("learning rate must be in (0, 1000]");
        typeValue("hidden", "2.5");
        assertThat(page.locator("#err-hidden")).containsText("whole number");
        assertThat(page.locator("#train-note")).containsText("fix");
        assertFalse(requests.stream().anyMatch(r -> r.startsWith("POST ") && r.endsWith("/api/runs")),
                "no run was requested: " + requests);
        screenshot(page, "client");

        // a config the page cannot judge (a field it does not know) goes to the server, whose 400 is shown
        String cfg = "{\"model\":\"mlp\",\"steps\":5,\"hidden\":8,\"frobnicate\":1}";
        page.navigate(base + "/#/new?config=" + URLEncoder.encode(cfg, StandardCharsets.UTF_8).replace("+", "%20"));
        page.reload();
        assertThat(page.locator("#mode-text")).containsText("Re-run link");
        page.locator("#banner-train").click();
        assertThat(page.locator("#err-config")).containsText("400");
        assertThat(page.locator("#err-config")).containsText("unknown field 'frobnicate'");
    }

    /** While a run trains, the LR slider changes its learning rate live (marked on the chart); Stop stops it; compare. */
    @Test
    void liveLearningRateStopAndCompare() throws Exception {
        page.navigate(base + "/");
        page.locator("[data-model=mlp]").click();
        typeValue("hidden", "16");
        typeValue("steps", "200000");
        typeValue("evalEvery", "50000");
        page.locator("#train").click();
        assertThat(page.locator("#run-status")).hasText("running", slow());
        assertThat(page.locator("#run-step")).not().hasText("step 0 / 200,000", slow());
        page.locator("#range-lr").fill("400"); // lr 0.063 while it trains
        assertThat(page.locator("#val-lr")).hasValue("0.063");
        assertThat(page.locator("#loss-chart")).hasAttribute("data-lr-changes", "1",
                new LocatorAssertions.HasAttributeOptions().setTimeout(TIMEOUT_MS));
        assertThat(page.locator("#train-note")).containsText("sent to the running run");
        screenshot(page, "live-lr");
        page.locator("#stop").click();
        assertThat(page.locator("#run-status")).hasText("stopped", slow());
        String id = runIdFromUrl(page);
        JsonNode run = get("/api/runs/" + id);
        assertEquals("stopped", run.path("status").asText());
        assertEquals(0.063, run.path("lrChanges").path(0).path("lr").asDouble(), 1e-12, run.path("lrChanges").toString());

        // a second run to compare with: a count bigram with another smoothing
        page.locator("[data-model=ngram]").click();
        typeValue("smoothing", "0.5");
        page.locator("#train").click();
        assertThat(page.locator("#run-status")).hasText("finished", slow());
        String other = runIdFromUrl(page);
        page.locator("#runs tr[data-id='" + id + "'] input[type=checkbox]").check();
        page.locator("#runs tr[data-id='" + other + "'] input[type=checkbox]").check();
        assertThat(page.locator("#compare-panel")).isVisible();
        assertThat(page.locator("#compare-table tr.diff th", new Page.LocatorOptions().setHasText("model"))).hasCount(1);
        assertThat(page.locator("#compare-table tr:not(.diff) th", new Page.LocatorOptions().setHasText("seed"))).hasCount(1);
        assertTrue(page.locator("#export-csv").isEnabled());
        String csv = (String) page.evaluate("async (ids) => (await fetch('/api/export?format=csv&ids=' + ids)).text()",
                id + "," + other);
        assertTrue(csv.startsWith("run,step,series,value,lr"), csv);
        page.locator("[data-model=mlp]").click();
        screenshot(page, "compare");
    }
}
