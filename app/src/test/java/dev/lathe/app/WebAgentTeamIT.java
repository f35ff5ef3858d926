package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.TeamInfo;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent team on the lead's session page (issue 57), in chromium against the packaged server and the fake model: a
 * lead calls {@code team_create} (ana, bo), {@code team_tasks add} twice (the second after the first) and
 * {@code send_message} to everyone; the page shows the members with agent, model and status, the tasks with their order
 * and the message. Ana, released, claims and completes task 1 and messages the lead: the page follows live. The task's
 * title and the message carry markup, which shows as text: no element is made of it. The session board marks the lead
 * and each member as the team's.
 */
class WebAgentTeamIT {
    private static final String MARKUP = "<b>bold</b><img src=x onerror=alert(1)>";

    @TempDir Path home;
    @TempDir Path project;
    WebBed web;
    final CountDownLatch anaGoes = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        Files.writeString(project.resolve("README.md"), "# Project\n", StandardCharsets.UTF_8);
        web = WebBed.start(llm -> {
            AgentBeds.scriptTeam(llm, anaGoes, MARKUP, "tasks are up " + MARKUP, "README.md");
            return new Lathe(home, AgentBeds.config(llm, "sk-web", AgentBeds.TEAMS));
        });
    }

    @AfterEach
    void stop() throws Exception {
        anaGoes.countDown();
        if (web != null) web.close();
    }

    @Test
    void theLeadsPageShowsItsTeamAndFollowsItLiveWithMarkupShownAsText() throws Exception {
        try (HttpLatheClient api = web.api()) {
            SessionId lead = api.createSession(new CreateSessionRequest(project.toString(), Optional.of("Lead"), Optional.empty(),
                    Optional.empty(), Optional.empty())).id();
            api.prompt(lead, PromptRequest.text("fix the bug as a team"));
            AgentBeds.await(() -> api.status(lead) instanceof SessionStatus.Idle && teamOf(api, lead).map(t -> t.messages().size() == 1).orElse(false), () -> "the team: " + teamOf(api, lead));

            Page page = web.login(web.chromium.desktop(1280, 900));
            // the board marks the lead (its team and member count) and each member (its name and team), as /team names them
            TeamInfo made = teamOf(api, lead).orElseThrow();
            Locator leadRow = page.locator("li.row[data-session=\"" + lead.value() + "\"]");
            assertThat(leadRow.locator("[data-team-lead]")).hasText("⚑ team fixers · 2 members");
            for (TeamInfo.Member m : made.members()) {
                Locator row = page.locator("li.row-child[data-session=\"" + m.sessionId().value() + "\"]");
                assertThat(row.locator("[data-team-member]")).hasText("⚑ " + m.name() + " of team fixers");
                // a member's mark says more than the background task's it also is
                assertThat(row.locator("[data-background]")).hasCount(0);
            }
            assertThat(leadRow.locator("[data-team-member]")).hasCount(0);
            AgentBeds.shot(page, "web-team-board.png");
            page.navigate(page.url().replaceFirst("#.*$", "") + "#/session/" + lead.value());
            Locator team = page.locator("aside.team");
            assertThat(team).isVisible();
            assertThat(team.locator("summary")).containsText("Team fixers");
            Locator ana = team.locator("[data-member=\"ana\"]");
            Locator bo = team.locator("[data-member=\"bo\"]");
            assertThat(ana).hasAttribute("data-member-status", "busy");
            assertThat(ana).containsText("general · fake/fake-model");
            assertThat(bo).hasAttribute("data-member-status", "idle");
            Locator first = team.locator("[data-task=\"1\"]");
            assertThat(first).hasAttribute("data-task-status", "pending");
            assertThat(first).containsText("#1 find the bug " + MARKUP);
            assertThat(team.locator("[data-task=\"2\"]")).containsText("after #1");
            assertThat(team.locator(".team-message").first()).containsText("lead → *");
            assertThat(team.locator(".team-message").first()).containsText("tasks are up " + MARKUP);
            // the agents' markup made no element: it is text
            assertThat(team.locator("b, img")).hasCount(0);
            AgentBeds.shot(page, "web-team-before.png");

            anaGoes.countDown();
            assertThat(first).hasAttribute("data-task-status", "completed");
            assertThat(first.locator(".team-owner")).hasText("ana");
            assertThat(team.locator(".team-message").last()).containsText("ana → lead");
            assertThat(team.locator(".team-message").last()).containsText("ANA-FOUND-IT");
            assertThat(ana).hasAttribute("data-member-status", "idle");
            // the lead read ana's message (its task result comes too: the lead's last answer may be to that)
            AgentBeds.await(() -> api.status(lead) instanceof SessionStatus.Idle && api.messages(lead).stream().flatMap(m -> m.parts().stream())
                    .anyMatch(p -> p instanceof Part.Text t && t.text().contains("LEAD-HEARD-ANA")), () -> "the team: " + teamOf(api, lead));
            assertThat(team.locator("[data-task=\"2\"]")).not().containsText("after #1");
            // in the lead's transcript ana's message says who sent it, not shown as the user's prompt
            Locator fromAna = page.locator(".msg-delivered", new Page.LocatorOptions().setHasText("Message from ana"));
            assertThat(fromAna).containsText("ANA-FOUND-IT");
            assertThat(page.locator(".msg-user", new Page.LocatorOptions().setHasText("<message from"))).hasCount(0);
            AgentBeds.shot(page, "web-team-after.png");

            // a member's page shows the same team
            SessionId anaSession = teamOf(api, lead).orElseThrow().members().getFirst().sessionId();
            page.navigate(page.url().replaceFirst("#.*$", "") + "#/session/" + anaSession.value());
            assertThat(page.locator("aside.team summary")).containsText("Team fixers");
        }
    }

    private static Optional<TeamInfo> teamOf(HttpLatheClient api, SessionId session) {
        try {
            return Optional.of(api.sessionTeam(session));
        } catch (LatheException.NotFound e) {
            return Optional.empty();
        }
    }
}
