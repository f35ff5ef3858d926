package dev.lathe.app;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ColorScheme;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's chromium driven by Playwright for Java (DESIGN §17): the machine's browser at {@link #EXECUTABLE}, never
 * one Playwright downloads, and a browser that reaches nothing but loopback. One browser per test class; each test
 * takes a fresh {@link BrowserContext} (its own cookies and storage) from {@link #desktop} or {@link #phone}.
 *
 * <p>Without chromium the tests are skipped with the reason, except under CI ({@code .ci/run} installs it), where a
 * missing browser is a failure rather than a silently green build.
 */
final class Chromium implements AutoCloseable {
    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    /** Headless, no sandbox (containers), and none of the browser's own traffic: updates, sync, QUIC, GPU. */
    static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            // every host but loopback fails to resolve: a page cannot reach anything off the machine
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost");
    /** How long an action or navigation waits (generous: CI runs two test JVMs on two shared cores). */
    static final double TIMEOUT_MS = 30_000;
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    private final Playwright playwright;
    private final Browser browser;
    /** Requests a page made to anything but loopback (there must be none). */
    private final List<String> offLoopback = new CopyOnWriteArrayList<>();
    private final List<BrowserContext> open = new CopyOnWriteArrayList<>();
    /** Uncaught script errors and Content-Security-Policy refusals of any page (there must be none). */
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();
    /** Every console error, for the failure message (a 401 the not-logged-in page expects is one too). */
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Launches chromium, or skips the calling test class (fails it under CI) when the machine has none. */
    static Chromium launch() {
        if (!Files.isExecutable(EXECUTABLE)) {
            String reason = EXECUTABLE + " is missing: install Debian's chromium (apt-get install chromium; .ci/run does)";
            if (CiVariable.isSet(System.getenv())) throw new AssertionError(reason);
            Assumptions.abort(reason);
        }
        // the driver also reads this from its own environment; set here too so a run outside Maven never downloads
        var playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            var browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(EXECUTABLE).setArgs(ARGS)
                    .setHeadless(true));
            return new Chromium(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    /** A fresh desktop browser profile: 1280×800, light colours, no cookies. */
    BrowserContext desktop() {
        return watched(browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800).setColorScheme(ColorScheme.LIGHT)
                .setLocale("en-US").setTimezoneId("UTC")));
    }

    /** A fresh desktop browser profile of the given size (a laptop's 1280×900, say), light colours, no cookies. */
    BrowserContext desktop(int width, int height) {
        return watched(browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height).setColorScheme(ColorScheme.LIGHT)
                .setLocale("en-US").setTimezoneId("UTC")));
    }

    /** A fresh phone profile: 390×844 (an iPhone 14's CSS pixels), touch, mobile viewport handling. */
    BrowserContext phone() {
        return watched(browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844).setDeviceScaleFactor(2)
                .setIsMobile(true).setHasTouch(true).setColorScheme(ColorScheme.LIGHT).setLocale("en-US").setTimezoneId("UTC")));
    }

    private BrowserContext watched(BrowserContext context) {
        open.add(context);
        context.setDefaultTimeout(TIMEOUT_MS);
        context.onPage(page -> {
            page.onPageError(error -> pageErrors.add(page.url() + ": " + error));
            page.onConsoleMessage(message -> {
                if (!message.type().equals("error")) return;
                consoleErrors.add(page.url() + ": " + message.text());
                if (message.text().contains("Content Security Policy")) pageErrors.add(page.url() + ": " + message.text());
            });
        });
        context.onRequest(request -> {
            URI uri = URI.create(request.url());
            boolean local = switch (uri.getScheme()) {
                case "http", "https", "ws", "wss" -> LOOPBACK.contains(uri.getHost());
                default -> true; // data:, blob:, about:
            };
            if (!local) offLoopback.add(request.url());
        });
        return context;
    }

    /** Screenshots of every open page into {@code dir} as {@code prefix-N.png} (what a failed test was looking at). */
    void screenshotOpenPages(Path dir, String prefix) {
        int n = 0;
        for (BrowserContext context : open) {
            for (var page : context.pages()) {
                try {
                    page.screenshot(new com.microsoft.playwright.Page.ScreenshotOptions().setPath(dir.resolve(prefix + "-" + ++n + ".png"))
                            .setFullPage(true).setTimeout(5_000));
                } catch (RuntimeException e) {
                    // the page is gone or hangs: the failure itself says more
                }
            }
        }
    }

    /** Closes the contexts the last test opened (each test starts with none). */
    void closeContexts() {
        for (BrowserContext context : open) context.close();
        open.clear();
    }

    /** Uncaught errors and CSP refusals so far, each with the console errors around it. */
    List<String> pageErrors() { return List.copyOf(pageErrors); }

    List<String> consoleErrors() { return List.copyOf(consoleErrors); }

    /** Every request a page sent off the machine so far. */
    List<String> offLoopbackRequests() { return List.copyOf(offLoopback); }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
