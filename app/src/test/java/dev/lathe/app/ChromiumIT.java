package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;

/**
 * The web ITs' browser is one per test JVM ({@link Chromium}): a second launch on the same thread drives the same
 * chromium, yet each view keeps its own contexts and its own page errors, and closing one view leaves the browser to
 * the next.
 */
class ChromiumIT {
    @Test
    void launchesOnOneThreadShareTheBrowserButNotTheirContextsOrErrors() {
        try (Chromium first = Chromium.launch(); Chromium second = Chromium.launch()) {
            assertThat(second.sameBrowserAs(first)).as("one browser per JVM").isTrue();
            Page broken = first.desktop().newPage();
            broken.setContent("<script>throw new Error('only the first view saw this')</script>");
            broken.waitForCondition(() -> !first.pageErrors().isEmpty());  // the event is delivered while Playwright waits
            assertThat(first.pageErrors()).anySatisfy(e -> assertThat(e).contains("only the first view saw this"));
            assertThat(second.pageErrors()).isEmpty();

            // the first view closes its contexts, not the browser: the second still opens pages
            first.close();
            Page page = second.desktop().newPage();
            page.setContent("<p>still here</p>");
            assertThat(page.textContent("p")).isEqualTo("still here");
            assertThat(second.pageErrors()).isEmpty();
        }
        try (Chromium later = Chromium.launch()) {
            assertThat(later.desktop().newPage().evaluate("() => 1 + 1")).isEqualTo(2);
        }
    }
}
