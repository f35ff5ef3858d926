package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /review} in the web UI's composer (DESIGN §23), in chromium against the packaged server and the fake model: it
 * runs the built-in review on the uncommitted change, and the findings show as a list, most urgent first, each with its
 * priority, file and line, title and body; markup the model wrote in them stays text.
 */
class WebReviewIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String REPORT = """
            {"findings":[{"priority":3,"file":"greet.py","line":1,"title":"Style","body":"Minor."},\
            {"priority":0,"file":"greet.py","line":2,"endLine":3,"title":"Wrong <img src=x onerror=alert(1)> greeting","body":"It says Hey, not Hello. @everyone"}],\
            "summary":"Changes the greeting."}""";

    @TempDir Path home;
    @TempDir Path project;
    WebBed web;

    @BeforeEach
    void start() throws Exception {
        GitHubIT.git(project, "init", "-q", "-b", "main");
        Files.writeString(project.resolve("greet.py"), "def greet(name):\n    return 'Hello ' + name\n", StandardCharsets.UTF_8);
        GitHubIT.git(project, "add", "-A");
        GitHubIT.git(project, "-c", "user.name=T", "-c", "user.email=t@x.invalid", "commit", "-q", "-m", "greet");
        Files.writeString(project.resolve("greet.py"), "def greet(name):\n    return 'Hey ' + name\n", StandardCharsets.UTF_8);
        web = WebBed.start(llm -> {
            llm.respondWith(r -> r.toolResult("r1").isEmpty() ? Turn.of(Step.toolCall("r1", "report_findings", REPORT)) : Turn.of(Step.text("Reported.")));
            return new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-web"));
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (web != null) web.close();
    }

    @Test
    void slashReviewInTheComposerShowsTheFindingsAsAList() throws Exception {
        SessionId id;
        try (var api = web.api()) {
            id = api.createSession(CreateSessionRequest.in(project.toString())).id();
        }
        BrowserContext context = web.chromium.desktop(1280, 900);
        Page page = web.login(context);
        page.navigate(page.url().replaceAll("#.*$", "") + "#/session/" + id.value());
        Locator message = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message").setExact(true));
        assertThat(message).isVisible();
        message.fill("/review --focus the greeting");
        message.press("Enter");

        Locator findings = page.locator(".finding");
        assertThat(findings).hasCount(2);
        // most urgent first
        assertThat(findings.nth(0).locator(".tag")).hasText("P0");
        assertThat(findings.nth(0).locator(".finding-place")).hasText("greet.py:2-3");
        assertThat(findings.nth(0).locator(".finding-title")).hasText("Wrong <img src=x onerror=alert(1)> greeting");
        assertThat(findings.nth(0).locator(".finding-body")).hasText("It says Hey, not Hello. @everyone");
        assertThat(findings.nth(1).locator(".tag")).hasText("P3");
        assertThat(page.locator(".finding-summary")).hasText("Changes the greeting.");
        assertThat(page.locator(".findings img")).hasCount(0);
        // the review agent saw the diff; the file is unchanged by the review
        assertThat(web.llm.requests().getFirst().lastUserText()).contains("+    return 'Hey ' + name").contains("the greeting");
        assertThat(Files.readString(project.resolve("greet.py"))).contains("Hey");
        // what the user typed is their message and names the session; the built-in instructions and the diff are not
        // shown as theirs (issue 71, minor 9)
        Locator typed = page.locator("article.msg-user .user-text");
        assertThat(typed).hasCount(1);
        assertThat(typed).hasText("/review --focus the greeting");
        assertThat(page.locator(".transcript")).not().containsText("careful senior engineer");
        try (var api = web.api()) {
            assertThat(api.session(id).title()).isEqualTo("/review --focus the greeting");
        }
        assertThat(web.llm.requests().getFirst().lastUserText()).contains("careful senior engineer");
    }
}
