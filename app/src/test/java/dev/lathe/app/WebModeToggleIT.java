package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * The web session's auto-approval switch (DESIGN §31, issue 80), in chromium against the packaged server: switched on,
 * the next message's ask goes to the classifier the user's config names and nobody is asked; switched off, a person is
 * asked again and the classifier hears nothing. Where the administrator's {@code disableAutoApproval} turns it off,
 * the switch is disabled and says why.
 */
class WebModeToggleIT {
    @TempDir Path home;
    @TempDir Path project;

    private static Turn answer(RecordedRequest r) {
        if (r.body().contains("make b")) {
            return r.toolResult("b1").isEmpty() ? Turn.of(Step.toolCall("b1", "bash", "{\"command\": \"touch b.txt\", \"description\": \"make b\"}"))
                    : Turn.of(Step.text("Made b."));
        }
        return r.toolResult("a1").isEmpty() ? Turn.of(Step.toolCall("a1", "bash", "{\"command\": \"touch a.txt\", \"description\": \"make a\"}"))
                : Turn.of(Step.text("Made a."));
    }

    private static Lathe lathe(Path home, FakeLlm llm, FakeLlm judge) throws Exception {
        llm.respondWith(WebModeToggleIT::answer);
        ObjectNode config = (ObjectNode) WebAutoApprovalIT.JSON.readTree(Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-web"));
        ((ObjectNode) config.get("provider")).set("judge", WebAutoApprovalIT.JSON.readTree("{\"protocol\": \"openai-chat\", \"baseUrl\": \""
                + judge.baseUrl() + "\", \"apiKey\": \"k\", \"models\": {\"j\": {}}}"));
        config.set("permission", WebAutoApprovalIT.JSON.readTree("{\"bash\": \"ask\", \"auto\": {\"model\": \"judge/j\"}}"));
        return new Lathe(home, WebAutoApprovalIT.JSON.writeValueAsString(config));
    }

    private Page open(WebBed web) throws Exception {
        SessionId id;
        try (var api = web.api()) {
            id = api.createSession(new CreateSessionRequest(project.toString(), Optional.of("Modes"), Optional.empty(), Optional.empty(),
                    Optional.empty())).id();
        }
        Page page = web.login(web.chromium.desktop(1280, 900));
        page.navigate(page.url().replaceAll("#.*$", "") + "#/session/" + id.value());
        return page;
    }

    @Test
    void theSwitchSendsTheModeWithEachMessageOnTheClassifierAnswersOffAPersonIsAsked() throws Exception {
        try (FakeLlm judge = FakeLlm.start()) {
            judge.respondWith(r -> Turn.of(Step.text("{\"decision\": \"allow\", \"reason\": \"the user asked for a.txt\"}")));
            try (WebBed web = WebBed.start(llm -> lathe(home, llm, judge))) {
                Page page = open(web);
                Locator toggle = page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Auto-approve"));
                assertThat(toggle).hasAttribute("aria-checked", "false");
                assertThat(toggle).isEnabled();
                toggle.click();
                assertThat(toggle).hasAttribute("aria-checked", "true");
                assertThat(page.locator(".mode-row")).containsText("judge/j");

                Locator message = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message").setExact(true));
                message.fill("make a");
                message.press("Enter");
                assertThat(page.getByText("Made a.")).isVisible();
                assertThat(page.locator("section.tool .tag-auto")).hasText("auto: allowed");
                assertThat(page.locator(".sv-asks .ask-card")).hasCount(0);
                assertThat(project.resolve("a.txt")).exists();
                assertThat(judge.requests()).hasSize(1);
                Files.createDirectories(Path.of("target/screenshots"));
                page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/auto-toggle-on.png")));

                toggle.click();
                assertThat(toggle).hasAttribute("aria-checked", "false");
                message.fill("make b");
                message.press("Enter");
                assertThat(page.locator(".sv-asks .ask-card")).hasCount(1);
                assertThat(page.locator(".sv-asks .ask-card")).containsText("touch b.txt");
                assertThat(judge.requests()).hasSize(1);
                assertThat(project.resolve("b.txt")).doesNotExist();
            }
        }
    }

    @Test
    void theAdministratorsOffSwitchDisablesTheToggleAndSaysWhy() throws Exception {
        try (FakeLlm judge = FakeLlm.start()) {
            Path managed = Files.createDirectories(home.resolve("etc-lathe"));
            Files.writeString(managed.resolve("managed.json"), "{\"disableAutoApproval\": true}");
            try (WebBed web = WebBed.start(llm -> lathe(home, llm, judge).withEnv("LATHE_MANAGED_DIR", managed.toString()))) {
                Page page = open(web);
                Locator toggle = page.getByRole(AriaRole.SWITCH, new Page.GetByRoleOptions().setName("Auto-approve"));
                assertThat(toggle).isDisabled();
                assertThat(toggle).hasAttribute("aria-checked", "false");
                assertThat(toggle.getAttribute("title")).contains("managed setting disableAutoApproval");
                page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/auto-toggle-managed.png")));
            }
        }
    }
}
