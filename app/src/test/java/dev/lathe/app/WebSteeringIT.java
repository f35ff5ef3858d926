package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steering and queueing from the web UI while the agent works (issue 71, minor 5), in chromium: the box says Enter
 * steers the running turn and offers Queue beside it; a steered message is tagged "steered" and reaches the turn's next
 * model request, a queued one is tagged "queued" and runs as the next turn; the notice that said so goes away.
 */
class WebSteeringIT {
    @TempDir Path home;
    @TempDir Path project;
    WebBed web;

    @AfterEach
    void stop() throws Exception {
        if (web != null) web.close();
    }

    @Test
    void enterSteersTheRunningTurnAndQueueRunsAMessageAfterIt() throws Exception {
        Files.writeString(project.resolve("README.md"), "# Project\n");
        web = WebBed.start(llm -> {
            llm.respondWith(r -> {
                if (r.lastUserText().contains("QUEUED-ASK")) return Turn.of(Step.text("HEARD-QUEUE"));
                if (r.toolResult("w1").isEmpty()) {
                    return AgentBeds.call("w1", "bash", "{\"command\":\"for i in $(seq 900); do [ -e go ] && break; sleep 0.1; done; echo waited\"}");
                }
                return Turn.of(Step.text(r.body().contains("STEER-WORD") ? "HEARD-STEER" : "NO-STEER"));
            });
            return new Lathe(home, AgentBeds.config(llm, "sk-steer", "\"permission\": {\"*\": \"allow\", \"bash\": \"allow\"}"));
        });
        try (HttpLatheClient api = web.api()) {
            SessionId id = api.createSession(new CreateSessionRequest(project.toString(), Optional.of("Steer me"), Optional.empty(),
                    Optional.empty(), Optional.empty())).id();
            api.prompt(id, PromptRequest.text("wait for go"));
            assertThat(web.llm.awaitRequests(1, Duration.ofSeconds(60))).isTrue();

            Page page = web.openSession(id);
            Locator box = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message").setExact(true));
            assertThat(box).hasAttribute("placeholder", "Steer the running turn…  (Alt+Enter queues it for after; Esc stops the agent)");
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Queue").setExact(true))).isVisible();

            box.fill("also mention STEER-WORD");
            box.press("Enter");
            Locator steered = page.locator("article.msg-user", new Page.LocatorOptions().setHasText("also mention STEER-WORD"));
            assertThat(steered.locator(".tag-queued")).hasText("steered");
            assertThat(page.locator(".sv-flash")).containsText("Steered: the running turn reads it at its next step.");

            box.fill("then QUEUED-ASK please");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Queue").setExact(true)).click();
            Locator queued = page.locator("article.msg-user", new Page.LocatorOptions().setHasText("then QUEUED-ASK please"));
            assertThat(queued.locator(".tag-queued")).hasText("queued");
            assertThat(page.locator(".sv-flash")).containsText("Queued: it runs after this turn.");
            AgentBeds.shot(page, "web-steering-busy.png");

            Files.writeString(project.resolve("go"), "");
            assertThat(page.getByText("HEARD-STEER")).isVisible();
            assertThat(page.getByText("HEARD-QUEUE")).isVisible();
            AgentBeds.await(() -> api.status(id) instanceof SessionStatus.Idle, () -> "status " + api.status(id));
            // once the turns ran: no tag left, no notice kept, and the box sends again
            assertThat(page.locator(".msg-user .tag-queued")).hasCount(0);
            assertThat(page.locator(".sv-flash .flash")).hasCount(0, new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(15_000));
            assertThat(box).hasAttribute("placeholder", "Message  (@ file, / command)");
            AgentBeds.shot(page, "web-steering-done.png");
            // a session in no team: its page asks nothing about a team, so the console logs no 404 (issue 71, minor 14)
            assertThat(web.chromium.consoleErrors()).noneMatch(e -> e.contains("404"));
            // the fake model has no price: its cost report says so rather than "$0.0000" (issue 71, minors 13 and 15)
            page.locator("button.sv-cost").click();
            assertThat(page.locator(".report-lead")).hasText(java.util.regex.Pattern.compile("price unknown for \\d answers\\."));
            assertThat(page.locator(".report-table tbody tr td:last-child").first()).hasText("price unknown");
            String steer = web.llm.requests().stream().filter(r -> r.body().contains("STEER-WORD")).findFirst().orElseThrow().body();
            assertThat(steer).as("the steer joined the running turn, after the command's result").contains("waited");
        }
    }
}
