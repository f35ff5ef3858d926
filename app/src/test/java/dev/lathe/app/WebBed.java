package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import java.util.Optional;
import dev.lathe.testkit.FakeLlm;

/**
 * The web ITs' test bed, as a user opens the web UI: a view of this JVM's chromium ({@link Chromium}), the fake model,
 * and the packaged jar's daemon that {@code lathe web --print-url} started. {@link #close} checks that no page sent
 * anything off the machine and none had a script error or CSP refusal, then stops the daemon and the fake even when
 * a check fails.
 */
final class WebBed implements AutoCloseable {
    /** Builds the test's {@link Lathe} (home, configuration, environment) against the started fake model. */
    @FunctionalInterface
    interface LatheFor {
        Lathe with(FakeLlm llm) throws Exception;
    }

    final Chromium chromium;
    final FakeLlm llm;
    final Lathe lathe;

    private WebBed(Chromium chromium, FakeLlm llm, Lathe lathe) {
        this.chromium = chromium;
        this.llm = llm;
        this.lathe = lathe;
    }

    /** Chromium first, so a machine without it skips before anything is started. */
    static WebBed start(LatheFor latheFor) throws Exception {
        Chromium chromium = Chromium.launch();
        PlaywrightAssertions.setDefaultAssertionTimeout(Chromium.TIMEOUT_MS);
        FakeLlm llm = null;
        Lathe lathe = null;
        try {
            llm = FakeLlm.start();
            lathe = latheFor.with(llm).daemonFirst();
            var printed = lathe.run("web", "--print-url");
            if (lathe.server().isEmpty()) throw new AssertionError("lathe web --print-url started no server: " + printed);
            return new WebBed(chromium, llm, lathe);
        } catch (Exception | AssertionError e) {
            if (lathe != null) lathe.stopDaemon();
            if (llm != null) llm.close();
            chromium.close();
            throw e;
        }
    }

    HttpLatheClient api() {
        return HttpLatheClient.connect(lathe.server().orElseThrow(), Optional.empty());
    }

    /** A desktop page logged in with the daemon's token, showing session {@code id}. */
    Page openSession(SessionId id) throws Exception {
        Page page = login(chromium.desktop(1280, 900));
        page.navigate(page.url().replaceAll("#.*$", "") + "#/session/" + id.value());
        return page;
    }

    /** A fresh context logged in with the daemon's token: the page shows the board. */
    Page login(BrowserContext context) throws Exception {
        return WebLogin.login(context, lathe.server().orElseThrow());
    }

    @Override
    public void close() throws Exception {
        try {
            chromium.closeContexts();
            assertThat(chromium.offLoopbackRequests()).isEmpty();
            assertThat(chromium.pageErrors()).as("console errors: %s", chromium.consoleErrors()).isEmpty();
        } finally {
            try {
                lathe.stopDaemon();
            } finally {
                llm.close();
                chromium.close();
            }
        }
    }
}
