package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ChildSession;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.TaskResult;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Background subagents end to end (issue 56), in chromium against the packaged server and the fake model: a parent
 * starts two background children (its agent file's {@code background: true}) and reads and writes while they run;
 * the board nests both under it, live; the one that ends first reports first; the other is cancelled with the
 * board's Cancel and reports as cancelled.
 */
class WebBackgroundAgentsIT {
    @TempDir Path home;
    @TempDir Path project;
    WebBed web;
    final CountDownLatch twoGo = new CountDownLatch(1);
    final CountDownLatch oneGo = new CountDownLatch(1);

    private static boolean isChild(RecordedRequest r) { return r.system().contains("WORKER-PROMPT"); }

    private static Step task(String callId, String prompt) {
        return Step.toolCall(callId, "task", "{\"description\":\"" + prompt + "\",\"prompt\":\"" + prompt + "\",\"agent\":\"worker\"}");
    }

    @BeforeEach
    void start() throws Exception {
        Files.writeString(project.resolve("README.md"), "# Project\n", StandardCharsets.UTF_8);
        Files.createDirectories(project.resolve(".lathe/agents"));
        Files.writeString(project.resolve(".lathe/agents/worker.md"), "---\ndescription: Works\nmode: subagent\nbackground: true\n---\nWORKER-PROMPT\n");
        web = WebBed.start(llm -> {
            llm.respondWith(r -> {
                if (isChild(r)) {
                    boolean one = r.lastUserText().contains("Child one");
                    return AgentBeds.open(one ? oneGo : twoGo) ? Turn.of(Step.text(one ? "REPORT-ONE" : "REPORT-TWO")) : Turn.of(Step.text("late"));
                }
                if (r.lastUserText().startsWith("<task-result")) return Turn.of(Step.text("NOTED"));
                if (r.toolResult("t1").isEmpty()) return Turn.of(task("t1", "Child one"), task("t2", "Child two")).finish("tool_calls");
                // the parent reads and edits while its children run
                if (r.toolResult("r1").isEmpty()) return Turn.of(Step.toolCall("r1", "read", "{\"path\":\"README.md\"}")).finish("tool_calls");
                if (r.toolResult("w1").isEmpty()) {
                    return Turn.of(Step.toolCall("w1", "write", "{\"path\":\"notes.md\",\"content\":\"parent was here\\n\"}")).finish("tool_calls");
                }
                return Turn.of(Step.text("PARENT-WAITING"));
            });
            return new Lathe(home, AgentBeds.config(llm, "sk-web", "\"permission\": {\"*\": \"allow\", \"edit\": \"allow\"}"));
        });
    }

    @AfterEach
    void stop() throws Exception {
        oneGo.countDown();
        twoGo.countDown();
        if (web != null) web.close();
    }

    @Test
    void twoChildrenRunBesideTheirParentReportInOrderOfCompletionAndOneIsCancelledFromTheBoard() throws Exception {
        try (HttpLatheClient api = web.api()) {
            SessionId parent = api.createSession(new CreateSessionRequest(project.toString(), Optional.of("Parent of two"), Optional.empty(),
                    Optional.empty(), Optional.empty())).id();
            api.prompt(parent, PromptRequest.text("Start two workers, then read and note"));
            AgentBeds.await(() -> api.childSessions(parent).size() == 2 && api.status(parent) instanceof SessionStatus.Idle, () -> state(api, parent));
            assertThat(Files.readString(project.resolve("notes.md"))).isEqualTo("parent was here\n");
            List<ChildSession> children = api.childSessions(parent);
            assertThat(children).extracting(ChildSession::status).containsExactly("running", "running");
            SessionId one = children.stream().filter(c -> c.session().title().startsWith("Child one")).findFirst().orElseThrow().session().id();
            SessionId two = children.stream().filter(c -> c.session().title().startsWith("Child two")).findFirst().orElseThrow().session().id();

            Page page = web.login(web.chromium.desktop(1280, 900));
            Locator oneRow = page.locator("li.row-child[data-session=\"" + one.value() + "\"]");
            Locator twoRow = page.locator("li.row-child[data-session=\"" + two.value() + "\"]");
            // nested under the parent, live: both busy, each with its Cancel
            assertThat(page.locator("li.row[data-session=\"" + parent.value() + "\"] + li.row-child")).hasCount(1);
            assertThat(oneRow).hasAttribute("data-row-status", "busy");
            assertThat(twoRow).hasAttribute("data-row-status", "busy");
            assertThat(oneRow.locator("[data-cancel]")).isVisible();
            // each marked as a background task (its parent went on), as the terminal UI's /agents marks it
            assertThat(oneRow.locator("[data-background]")).isVisible();
            assertThat(twoRow.locator("[data-background]")).hasText("◆ background");
            assertThat(page.locator("li.row[data-session=\"" + parent.value() + "\"] [data-background]")).hasCount(0);
            // issue 82: the parent's task cards said "done" while their children ran: they say how each task stands
            String board = page.url();
            page.navigate(board.replaceFirst("#.*$", "") + "#/session/" + parent.value());
            Locator cards = page.locator("section.tool [data-task-status]");
            assertThat(cards).hasCount(2);
            for (int i = 0; i < 2; i++) {
                assertThat(cards.nth(i)).hasAttribute("data-task-status", "running");
                assertThat(cards.nth(i)).hasText("running in background");
            }
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/web-background-task-cards.png")));
            page.navigate(board);

            twoGo.countDown();
            assertThat(twoRow).hasAttribute("data-row-status", "idle");
            assertThat(twoRow.locator("[data-cancel]")).hasCount(0);
            AgentBeds.await(() -> results(api, parent).size() == 1 && api.status(parent) instanceof SessionStatus.Idle, () -> state(api, parent));

            // ended: how, not only idle (issue 71)
            assertThat(twoRow.locator("[data-background]")).hasAttribute("data-task-status", "completed");
            assertThat(twoRow.locator("[data-background]")).hasText("◆ background · completed");
            oneRow.locator("[data-cancel]").click();
            assertThat(oneRow).hasAttribute("data-row-status", "idle");
            assertThat(oneRow.locator("[data-background]")).hasText("◆ background · cancelled");
            AgentBeds.await(() -> results(api, parent).size() == 2 && api.status(parent) instanceof SessionStatus.Idle
                    && api.messages(parent).getLast().info() instanceof AssistantMessage a && a.completedAt().isPresent(), () -> state(api, parent));

            List<String> results = results(api, parent);
            assertThat(results.get(0)).startsWith("<task-result id=\"" + two.value() + "\" status=\"completed\">").contains("REPORT-TWO");
            assertThat(results.get(1)).startsWith("<task-result id=\"" + one.value() + "\" status=\"cancelled\">");
            assertThat(api.childSessions(parent)).extracting(c -> c.session().id().value() + " " + c.status())
                    .containsExactlyInAnyOrder(one.value() + " cancelled", two.value() + " completed");
            assertThat(web.llm.requests().stream().filter(r -> !isChild(r) && r.lastUserText().startsWith("<task-result"))).hasSize(2);

            // the parent's page shows each result as what it is, under where it came from: no prompt bubble with tags
            page.navigate(page.url().replaceFirst("#.*$", "") + "#/session/" + parent.value());
            Locator delivered = page.locator(".msg-delivered");
            assertThat(delivered).hasCount(2);
            // named by what it did (its description), its id in the link's title (issue 71)
            assertThat(delivered.first().locator(".delivered-head")).containsText("Background task Child two");
            assertThat(delivered.first().locator(".delivered-head a")).hasAttribute("title", two.value());
            assertThat(delivered.first().locator(".delivered-head")).containsText("completed");
            assertThat(delivered.first().locator(".delivered-body")).containsText("REPORT-TWO");
            assertThat(delivered.nth(1).locator(".delivered-head")).containsText("cancelled");
            // and the cards, how each ended
            Locator ended = page.locator("section.tool [data-task-status]");
            assertThat(ended).hasCount(2);
            assertThat(page.locator("section.tool [data-task-status=\"completed\"]")).hasText("done");
            assertThat(page.locator("section.tool [data-task-status=\"cancelled\"]")).hasText("cancelled");
            assertThat(page.locator(".msg-user", new Page.LocatorOptions().setHasText("<task-result"))).hasCount(0);
        }
    }

    /** The task results delivered to {@code parent}, oldest first: their text. */
    private static List<String> results(HttpLatheClient api, SessionId parent) {
        return api.messages(parent).stream().filter(m -> m.info() instanceof UserMessage && TaskResult.marks(m.parts()))
                .map(m -> m.parts().stream().filter(p -> p instanceof Part.Text t && !t.synthetic()).map(p -> ((Part.Text) p).text()).findFirst().orElseThrow())
                .toList();
    }

    /** What the parent and its children are at, and what the model was asked: said when a wait times out. */
    private String state(HttpLatheClient api, SessionId parent) {
        return "parent " + api.status(parent) + ", children " + api.childSessions(parent).stream().map(c -> c.session().title() + "=" + c.status()).toList()
                + ", parent messages " + api.messages(parent).stream().map(m -> m.info().getClass().getSimpleName() + m.parts().stream()
                        .map(p -> p instanceof Part.Text t ? "[" + t.text() + "]" : p instanceof Part.Tool tool ? "{" + tool.tool() + " " + tool.state() + "}" : "")
                        .toList()).toList()
                + ", requests " + web.llm.requests().stream().map(r -> (isChild(r) ? "child:" : "parent:") + r.lastUserText()).toList();
    }
}
