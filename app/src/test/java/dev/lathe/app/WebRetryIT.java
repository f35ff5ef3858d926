package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider's failure the turn retried, as the web UI shows it afterwards (issue 71, minor 8): the first request fails
 * and the second answers; the transcript's note names the attempt that failed (the first), not the one that followed.
 */
class WebRetryIT {
    @TempDir Path home;
    @TempDir Path project;
    WebBed web;

    @AfterEach
    void stop() throws Exception {
        if (web != null) web.close();
    }

    @Test
    void theRetryNoteNamesTheAttemptThatFailed() throws Exception {
        web = WebBed.start(llm -> {
            llm.enqueue(Turn.httpError(503, "{\"error\":{\"message\":\"OVERLOADED-MARK\",\"type\":\"server_error\"}}", Map.of("retry-after", "0")));
            llm.enqueue(Turn.of(Step.text("RECOVERED")));
            return new Lathe(home, AgentBeds.config(llm, "sk-retry", ""));
        });
        try (HttpLatheClient api = web.api()) {
            SessionId id = api.createSession(new CreateSessionRequest(project.toString(), Optional.of("Retry me"), Optional.empty(),
                    Optional.empty(), Optional.empty())).id();
            api.prompt(id, PromptRequest.text("hello"));
            assertThat(web.llm.awaitRequests(2, Duration.ofSeconds(60))).isTrue();

            Page page = web.openSession(id);
            assertThat(page.getByText("RECOVERED")).isVisible();
            assertThat(page.locator(".notice.warn", new Page.LocatorOptions().setHasText("OVERLOADED-MARK"))).hasText(
                    java.util.regex.Pattern.compile("^↻ Attempt 1 failed: .*OVERLOADED-MARK.*"));
        }
    }
}
