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
 * one Playwright downloads, and a browser that reaches nothing but loopback. One browser per test JVM (a failsafe
 * fork), started by the first {@link #launch} and ended when the JVM exits: starting Playwright's driver and chromium
 * cost each web test class 3–4 s of CPU. What {@link #launch} returns is this class's or test's own view of it: each
 * test takes fresh {@link BrowserContext}s (their own cookies, storage and cache: nothing is shared between them) from
 * {@link #desktop} or {@link #phone}, and the off-loopback requests and page errors it collects are those of its own
 * contexts only. {@link #close} closes those contexts, not the browser.
 *
 * <p>Playwright's objects belong to the thread that created them: a launch from any other thread than the first
 * one's gets a browser of its own, closed with it.
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

    /** This JVM's browser, its driver and the thread they belong to; started by the first launch. */
    private static Playwright sharedPlaywright;
    private static Browser sharedBrowser;
    private static Thread sharedOwner;

    /** Set only when this view has a browser of its own (a launch from another thread): closed with it. */
    private final Playwright ownPlaywright;
    private final Browser browser;
    /** Requests a page made to anything but loopback (there must be none). */
    private final List<String> offLoopback = new CopyOnWriteArrayList<>();
    private final List<BrowserContext> open = new CopyOnWriteArrayList<>();
    /** Uncaught script errors and Content-Security-Policy refusals of any page (there must be none). */
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();
    /** Every console error, for the failure message (a 401 the not-logged-in page expects is one too). */
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();

    private Chromium(Playwright ownPlaywright, Browser browser) {
        this.ownPlaywright = ownPlaywright;
        this.browser = browser;
    }

    /**
     * A view of this JVM's chromium (started now if none runs, or if the last one died), or skips the calling test
     * class (fails it under CI) when the machine has none.
     */
    static Chromium launch() {
        if (!Files.isExecutable(EXECUTABLE)) {
            String reason = EXECUTABLE + " is missing: install Debian's chromium (apt-get install chromium; .ci/run does)";
            if (CiVariable.isSet(System.getenv())) throw new AssertionError(reason);
            Assumptions.abort(reason);
        }
        synchronized (Chromium.class) {
            if (sharedOwner == null || sharedOwner == Thread.currentThread()) {
                if (sharedBrowser == null || !sharedBrowser.isConnected()) {
                    if (sharedPlaywright != null) closeQuietly(sharedPlaywright);
                    // the driver also reads this from its own environment; set here too so a run outside Maven never downloads
                    sharedPlaywright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                    sharedBrowser = start(sharedPlaywright);
                    if (sharedOwner == null) Runtime.getRuntime().addShutdownHook(new Thread(Chromium::closeShared, "chromium-close"));
                    sharedOwner = Thread.currentThread();
                }
                return new Chromium(null, sharedBrowser);
            }
        }
        var playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        return new Chromium(playwright, start(playwright));
    }

    private static Browser start(Playwright playwright) {
        try {
            return playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(EXECUTABLE).setArgs(ARGS).setHeadless(true));
        } catch (RuntimeException e) {
            closeQuietly(playwright);
            throw e;
        }
    }

    /** At the JVM's exit: the browser and its driver end (the tests that used them are over). */
    private static synchronized void closeShared() {
        if (sharedPlaywright != null) closeQuietly(sharedPlaywright);
        sharedPlaywright = null;
        sharedBrowser = null;
    }

    private static void closeQuietly(Playwright playwright) {
        try {
            playwright.close();
        } catch (RuntimeException e) {
            // a browser that already died has nothing left to close
        }
    }

    /** Whether this view and {@code other} drive the same chromium process. */
    boolean sameBrowserAs(Chromium other) {
        return browser == other.browser;
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
        for (BrowserContext context : open) {
            try {
                context.close();
            } catch (RuntimeException e) {
                // closed already (a test may close its own), or the browser died: a later launch starts another
            }
        }
        open.clear();
    }

    /** Uncaught errors and CSP refusals so far, each with the console errors around it. */
    List<String> pageErrors() { return List.copyOf(pageErrors); }

    List<String> consoleErrors() { return List.copyOf(consoleErrors); }

    /** Every request a page sent off the machine so far. */
    List<String> offLoopbackRequests() { return List.copyOf(offLoopback); }

    /** This view's contexts close; the browser stays for the next test unless it was this view's own. */
    @Override
    public void close() {
        try {
            closeContexts();
        } finally {
            if (ownPlaywright != null) ownPlaywright.close();
        }
    }
}
