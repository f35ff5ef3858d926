package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
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
 * {@code !cmd} in the web UI's composer (issue 67, DESIGN §27), in chromium against the packaged server and the fake
 * model: the command runs as the user's own, its output shows in the transcript, no model request is made for it, and
 * the next prompt's request carries it; {@code /help} names the prefixes.
 */
class WebShellIT {
    @TempDir Path home;
    TempWorkspace project;
    WebBed web;

    @BeforeEach
    void start() throws Exception {
        project = TempWorkspace.create().write("README.md", "# Project\n").initGitRepo();
        web = WebBed.start(llm -> {
            llm.respondWith(r -> Turn.of(Step.text("It printed forty-two.")));
            return new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-web"));
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
    void aBangLineRunsTheUsersCommandAndTheNextRequestCarriesIt() throws Exception {
        SessionId id;
        try (var api = web.api()) {
            id = api.createSession(new CreateSessionRequest(project.path().toString(), Optional.of("Bang"), Optional.empty(), Optional.empty(),
                    Optional.empty())).id();
        }
        Page page = web.openSession(id);
        Locator message = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message").setExact(true));
        assertThat(message).isVisible();

        message.fill("!echo WEB-BANG-$((6*7))");
        message.press("Enter");
        Locator output = page.locator("details.tool-output");
        assertThat(output).hasCount(1);
        output.locator("summary").click();
        assertThat(output.locator("pre.output")).containsText("WEB-BANG-42");
        assertThat(web.llm.requests()).as("the user's command is no prompt").isEmpty();

        message.fill("what did it print?");
        message.press("Enter");
        assertThat(page.getByText("It printed forty-two.")).isVisible();
        assertThat(web.llm.requests()).singleElement().satisfies(r -> assertThat(r.body()).contains("WEB-BANG-42"));

        message.fill("/help");
        message.press("Enter");
        // the first Enter may pick /help in the completion list; the second sends it
        if (!message.inputValue().isBlank()) message.press("Enter");
        assertThat(page.getByText("!COMMAND runs COMMAND in your shell", new Page.GetByTextOptions().setExact(false))).isVisible();
    }
}
