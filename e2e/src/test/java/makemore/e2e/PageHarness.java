package makemore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The lab page in Debian's Chromium against the real server started in-process (free port, temporary database
 * and data directory), for each test class. Every test fails on a console error, an uncaught page error, a dialog,
 * or a request that leaves localhost; each leaves a screenshot in target/screenshots.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PageHarness {
    static final Path CHROMIUM = Path.of(System.getProperty("mm.chromium", "/usr/bin/chromium"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final double TIMEOUT_MS = 120_000;

    Path tmp;
    LabServer server;
    String base;
    private Playwright playwright;
    private Browser browser;
    private final HttpClient http = HttpClient.newHttpClient();

    BrowserContext context;
    Page page;
    List<String> problems;
    private List<Pattern> allowedConsole;
    List<String> requests;
    private String testName;

    @BeforeAll
    void start() throws IOException {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is not installed: install Debian's chromium"
                + " (./run-tests does) to run the page tests");
        tmp = Files.createTempDirectory("makemore-e2e");
        seed(tmp.resolve("lab.db"));
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

    /** A test class that needs stored runs before the lab opens writes them here (the database does not exist yet). */
    void seed(Path db) throws IOException {}

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

    BrowserContext newContext() {
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

    Page watch(Page p) {
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
    void allowStatus(int status) {
        allowedConsole.add(Pattern.compile("the server responded with a status of " + status));
    }

    @AfterEach
    void close() {
        if (context == null) {
            return;
        }
        try {
            page.bringToFront(); // a tab left in the background (a two-tab test) draws no frame to capture
            screenshot(page, "final");
        } catch (com.microsoft.playwright.TimeoutError e) {
            // the final picture is a diagnostic, not a check: a page that will not draw one still gets its checks below
            System.err.println(testName + ": no final screenshot (" + e.getMessage().lines().findFirst().orElse("") + ")");
        } finally {
            context.close();
            context = null;
            stopLiveRuns(); // a failed test must not leave the trainers busy for the next one
        }
        assertTrue(problems.isEmpty(), "problems in the page: " + problems);
    }

    void screenshot(Page p, String suffix) {
        Path dir = Path.of(System.getProperty("mm.screenshots.dir", "target/screenshots"));
        p.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(testName + "-" + suffix + ".png")).setFullPage(true));
    }

    /** Opens a URL and waits until the page has learned the models and every panel listens. */
    static void open(Page p, String url) {
        p.navigate(url);
        p.waitForSelector("body[data-ready=true]");
    }

    /** The new-run form with the MLP chosen and these sizes typed in. */
    void mlpForm(String hidden, String embDim, String steps, String evalEvery) {
        open(page, base + "/");
        page.locator("[data-model=mlp]").click();
        typeValue("hidden", hidden);
        typeValue("embDim", embDim);
        typeValue("steps", steps);
        typeValue("evalEvery", evalEvery);
    }

    void typeValue(String key, String value) {
        Locator box = page.locator("#val-" + key);
        box.fill(value);
        box.press("Enter");
    }

    String runIdFromUrl(Page p) {
        String url = p.url();
        int i = url.indexOf("#/runs/");
        assertTrue(i >= 0, "the page should show the run in its URL: " + url);
        return url.substring(i + "#/runs/".length());
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static LocatorAssertions.HasTextOptions slow() {
        return new LocatorAssertions.HasTextOptions().setTimeout(TIMEOUT_MS);
    }

    /** A request with a JSON body (and its content type), as the page sends it. */
    JsonNode send(String method, String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    void stopLiveRuns() {
        try {
            for (JsonNode r : get("/api/runs")) {
                String status = r.path("status").asText();
                if (status.equals("running") || status.equals("queued")) {
                    send("POST", "/api/runs/" + r.path("id").asText() + "/stop", "{}");
                }
            }
        } catch (Exception | AssertionError e) {
            // best effort: the run may have ended meanwhile
        }
    }

    /** GET /api/runs/{id}/explain for {@code text}: what the page's strips and bars must show. */
    JsonNode explain(String id, String text) throws Exception {
        return get("/api/runs/" + id + "/explain?text=" + java.net.URLEncoder.encode(text,
                java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Starts a long run over REST and waits for its first evaluation's parameters (explain answers); returns its id. */
    String trainingRunWithParameters(String config) throws Exception {
        String id = send("POST", "/api/runs", config).path("id").asText();
        long deadline = System.currentTimeMillis() + (long) TIMEOUT_MS;
        while (true) {
            try {
                explain(id, "a");
                return id;
            } catch (AssertionError notYet) {
                assertTrue(System.currentTimeMillis() < deadline, "no parameters: " + notYet.getMessage());
                Thread.sleep(100);
            }
        }
    }

    /** Starts a run over REST and waits until it has ended; returns its id. */
    String trainedRun(String config) throws Exception {
        String id = send("POST", "/api/runs", config).path("id").asText();
        long deadline = System.currentTimeMillis() + (long) TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            String status = get("/api/runs/" + id).path("status").asText();
            if (!status.equals("queued") && !status.equals("running")) {
                return id;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " did not end");
    }

    static LocatorAssertions.HasAttributeOptions slowAttr() {
        return new LocatorAssertions.HasAttributeOptions().setTimeout(TIMEOUT_MS);
    }

    static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The page's compact number format (util.js fmtNum) for the values these tests use. */
    static String fmt(double v) {
        if (Math.abs(v) < 1e-3) {
            return String.format("%.0e", v).replace("e-0", "e-");
        }
        String s = String.valueOf(Double.parseDouble(String.format("%.3g", v)));
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
