package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ScreenshotAnimations;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The web session's diff panel (DESIGN §32), in chromium against the packaged server and the fake model, on a worktree
 * session: opened from the message box with {@code /diff}, it shows the turn's first edit while the turn still runs
 * (its next command sleeps), follows it to its end, and switches to the branch scope of the worktree; a binary file is
 * named, never dumped. The screenshot is kept in target/screenshots.
 */
class WebDiffIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path home;
    TempWorkspace project;
    WebBed web;

    @BeforeEach
    void start() throws Exception {
        project = TempWorkspace.create().write("a.txt", "one\ntwo\n").initGitRepo();
        web = WebBed.start(llm -> {
            llm.respondWith(r -> {
                if (r.toolResult("w1").isEmpty()) {
                    return Turn.of(Step.toolCall("w1", "write", JSON.writeValueAsString(JSON.createObjectNode().put("path", "a.txt").put("content", "one\nTWO\n"))));
                }
                if (r.toolResult("b1").isEmpty()) {
                    return Turn.of(Step.toolCall("b1", "bash", JSON.writeValueAsString(JSON.createObjectNode()
                            .put("command", "sleep 5; printf 'new\\n' > b.txt; printf '\\000\\001\\002' > blob.bin"))));
                }
                return Turn.of(Step.text("all done"));
            });
            ObjectNode config = (ObjectNode) JSON.readTree(Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-web"));
            config.set("permission", JSON.readTree("{\"*\": \"allow\", \"edit\": \"allow\", \"bash\": \"allow\"}"));
            return new Lathe(home, JSON.writeValueAsString(config));
        });
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (web != null) web.close();
        } finally {
            if (project != null) project.close();
        }
    }

    @Test
    void theDiffPanelFollowsATurnLiveAndShowsTheWorktreesBranch() throws Exception {
        SessionId id;
        try (var api = web.api()) {
            id = api.createSession(CreateSessionRequest.in(project.path().toString()).inNewWorktree(Optional.of("webdiff"))).id();
        }
        Page page = web.login(web.chromium.desktop(1400, 900));
        page.navigate(page.url().replaceAll("#.*$", "") + "#/session/" + id.value());
        Locator message = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
        message.fill("/diff");
        // as a user sees it: the command's completion is listed before Enter runs it (an Enter before the list has
        // loaded was taken by it on a loaded machine)
        assertThat(page.getByText("The diff beside the transcript")).isVisible();
        message.press("Enter");
        Locator panel = page.getByRole(AriaRole.COMPLEMENTARY, new Page.GetByRoleOptions().setName("Diff"));
        assertThat(panel.getByText("No changes.")).isVisible();

        message.fill("change a.txt");
        message.press("Enter");
        // the write's change shows while the next step's command sleeps: the turn is still running
        Locator a = panel.locator(".change[data-path='a.txt']");
        assertThat(a).isVisible();
        assertThat(a).containsText("TWO");
        try (var api = web.api()) {
            assertThat(api.status(id)).as(() -> api.messages(id).toString()).isNotInstanceOf(SessionStatus.Idle.class);
        }
        Files.createDirectories(Path.of("target", "screenshots"));
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "web-diff-live.png")).setAnimations(ScreenshotAnimations.DISABLED));

        // at the turn's end the command's files join; the binary one is named, not dumped
        assertThat(panel.locator(".change[data-path='b.txt']")).isVisible();
        assertThat(panel.locator(".change[data-path='blob.bin']")).containsText("binary: not shown");
        assertThat(page.getByText("all done")).isVisible();
        assertThat(panel.locator(".diff-summary")).containsText("3 files");

        // the branch of the worktree against the default branch: the same three files, in the worktree only
        panel.getByRole(AriaRole.RADIO, new Locator.GetByRoleOptions().setName("Branch")).click();
        assertThat(panel).hasAttribute("data-scope", "branch");
        assertThat(panel.locator(".change[data-path='a.txt']")).containsText("TWO");
        assertThat(panel.locator(".diff-summary")).containsText("3 files");
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "screenshots", "web-diff-branch.png")).setAnimations(ScreenshotAnimations.DISABLED));
        assertThat(project.read("a.txt")).isEqualTo("one\ntwo\n");

        message.fill("/diff yesterday");
        message.press("Enter");
        assertThat(page.getByText("/diff takes turn, session, uncommitted, branch or off, not yesterday")).isVisible();
        panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Close the diff")).click();
        assertThat(panel).hasCount(0);
    }
}
