package makemore.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import makemore.web.LabOptions;
import makemore.web.LabServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * A real lab (in-process, free port, fresh database) and Debian's Chromium driven by Playwright. Every test fails
 * on a console error, an uncaught page error, or a request that leaves localhost; each leaves a screenshot in
 * target/screenshots.
 */
abstract class LabPage {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static Playwright playwright;
    static Browser browser;
    static LabServer server;
    static Path dataDir;

    BrowserContext context;
    Page page;
    final List<String> problems = new ArrayList<>();
    /** Set by a test that provokes a 4xx on purpose: the browser logs it as a console error. */
    boolean expectClientErrors;

    @BeforeAll
    static void startLabAndBrowser() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is not installed: end-to-end tests skipped");
        System.setProperty("ai.djl.offline", "true");
        dataDir = Files.createTempDirectory("lab-e2e");
        server = LabServer.start(new LabOptions("127.0.0.1", 0, dataDir.resolve("lab.db").toString(), dataDir, null));
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")));
    }

    @AfterAll
    static void stopLabAndBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void openPage() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 1000));
        page = watch(context.newPage());
    }

    Page watch(Page p) {
        p.onConsoleMessage(m -> {
            boolean provoked = expectClientErrors && m.text().matches("Failed to load resource: .* status of 4\\d\\d.*");
            if (m.type().equals("error") && !provoked) {
                problems.add("console error: " + m.text());
            }
        });
        p.onPageError(e -> problems.add("page error: " + e));
        p.onDialog(d -> {
            problems.add("a dialog fired: " + d.message());
            d.dismiss();
        });
        p.onRequest(r -> {
            URI u = URI.create(r.url());
            if (u.getScheme().startsWith("http") || u.getScheme().startsWith("ws")) {
                if (!u.getHost().equals("127.0.0.1") && !u.getHost().equals("localhost")) {
                    problems.add("request left localhost: " + r.url());
                }
            }
        });
        return p;
    }

    @AfterEach
    void screenshotAndCheck(TestInfo info) throws Exception {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve(info.getTestMethod().orElseThrow().getName()
                + ".png")).setFullPage(true));
        context.close();
        assertEquals(List.of(), problems, "console errors, dialogs or outside requests");
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }
}
