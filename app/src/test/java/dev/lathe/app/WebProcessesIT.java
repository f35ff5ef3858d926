package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.testkit.ChildProcesses;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web session's processes panel (DESIGN §32), in chromium against the packaged server and the fake model: the
 * model's background command is listed live with its state and last lines (escape sequences it prints shown as text),
 * the owner types a line into it and sees the process answer, then kills it, checked by pid.
 */
class WebProcessesIT {
    @TempDir Path home;
    TempWorkspace project;
    WebBed web;

    @BeforeEach
    void start() throws Exception {
        project = TempWorkspace.create().write("README.md", "# Project\n").initGitRepo();
        web = WebBed.start(llm -> {
            llm.respondWith(r -> r.toolResult("b1").isEmpty() && r.lastUserText().contains("start the echo server")
                    ? AgentBeds.call("b1", "bash", "{\"command\":\"printf 'ready <b>bold</b> \\\\033[31mRED\\\\n'; while read -r l; do echo typed:$l; done\","
                            + "\"background\":true}")
                    : Turn.of(Step.text("It runs.")));
            return new Lathe(home, AgentBeds.config(llm, "sk-web", "\"permission\": {\"bash\": \"allow\"}"));
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
    void theOwnerSeesTypesIntoAndKillsTheModelsBackgroundCommand() throws Exception {
        SessionId id;
        try (var api = web.api()) {
            id = api.createSession(new CreateSessionRequest(project.path().toString(), Optional.of("Procs"), Optional.empty(), Optional.empty(),
                    Optional.empty())).id();
        }
        Page page = web.openSession(id);
        try (var api = web.api()) {
            api.prompt(id, PromptRequest.text("start the echo server"));
        }
        assertThat(page.getByText("It runs.")).isVisible();
        Locator panel = page.getByRole(AriaRole.COMPLEMENTARY, new Page.GetByRoleOptions().setName("Processes"));
        assertThat(panel).containsText("while read -r l");
        assertThat(panel).containsText("running");
        assertThat(panel.locator("pre.process-lines")).containsText("ready <b>bold</b>");
        assertThat(panel.locator("b")).hasCount(0);
        Locator input = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Type into bg_1"));
        input.fill("hello web");
        input.press("Enter");
        assertThat(panel.locator("pre.process-lines")).containsText("typed:hello web");
        AgentBeds.shot(page, "web-processes.png");
        long pid;
        try (var api = web.api()) {
            pid = api.processes().list(id).getFirst().pid();
        }
        panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Kill")).click();
        assertThat(panel).containsText("killed");
        assertThat(ChildProcesses.isRunning(pid)).isFalse();
    }
}
