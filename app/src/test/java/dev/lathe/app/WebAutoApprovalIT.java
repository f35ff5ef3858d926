package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Auto-approval in the web UI's session view, in chromium against the packaged server, the fake model and a second
 * fake model as the classifier the user's config names: a call the classifier allowed carries an "auto: allowed" badge
 * whose tooltip is the classifier's reason, and one it refused a "auto: denied" badge.
 */
class WebAutoApprovalIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path home;
    @TempDir Path project;

    @Test
    void aCallTheClassifierDecidedCarriesABadgeWithItsReason() throws Exception {
        try (FakeLlm judge = FakeLlm.start()) {
            judge.respondWith(r -> Turn.of(Step.text(r.lastUserText().contains("touch nope.txt")
                    ? "{\"decision\": \"deny\", \"reason\": \"nope.txt was not asked for\"}"
                    : "{\"decision\": \"allow\", \"reason\": \"the user asked for <b>made.txt</b>\"}")));
            try (WebBed web = WebBed.start(llm -> {
                llm.respondWith(r -> r.toolResult("a1").isEmpty()
                        ? Turn.of(Step.toolCall("a1", "bash", "{\"command\": \"touch made.txt\", \"description\": \"make it\"}"))
                        : r.toolResult("a2").isEmpty()
                        ? Turn.of(Step.toolCall("a2", "bash", "{\"command\": \"touch nope.txt\", \"description\": \"make another\"}"))
                        : Turn.of(Step.text("Done with the files.")));
                ObjectNode config = (ObjectNode) JSON.readTree(Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-web"));
                ((ObjectNode) config.get("provider")).set("judge", JSON.readTree("{\"protocol\": \"openai-chat\", \"baseUrl\": \"" + judge.baseUrl()
                        + "\", \"apiKey\": \"k\", \"models\": {\"j\": {}}}"));
                config.set("permission", JSON.readTree("{\"bash\": \"ask\", \"auto\": {\"model\": \"judge/j\"}}"));
                config.put("defaultMode", "auto");
                return new Lathe(home, JSON.writeValueAsString(config));
            })) {
                SessionId id;
                try (var api = web.api()) {
                    id = api.createSession(new CreateSessionRequest(project.toString(), Optional.of("Auto"), Optional.empty(), Optional.empty(),
                            Optional.empty())).id();
                }
                Page page = web.login(web.chromium.desktop(1280, 900));
                page.navigate(page.url().replaceAll("#.*$", "") + "#/session/" + id.value());
                Locator message = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message").setExact(true));
                message.fill("make made.txt");
                message.press("Enter");
                assertThat(page.getByText("Done with the files.")).isVisible();

                Locator allowed = page.locator("section.tool").filter(new Locator.FilterOptions().setHasText("touch made.txt")).locator(".tag-auto");
                assertThat(allowed).hasText("auto: allowed");
                assertThat(allowed).hasAttribute("data-auto", "allow");
                // the reason is text, never markup: lit-html escapes the classifier's words into the tooltip
                assertThat(allowed.getAttribute("title")).startsWith("the user asked for <b>made.txt</b>").contains("judge/j");
                Locator denied = page.locator("section.tool").filter(new Locator.FilterOptions().setHasText("touch nope.txt")).locator(".tag-auto");
                assertThat(denied).hasText("auto: denied");
                assertThat(denied.getAttribute("title")).startsWith("nope.txt was not asked for");
                assertThat(page.locator("section.tool b")).hasCount(0);
                assertThat(page.locator(".sv-asks .ask-card")).hasCount(0);
                assertThat(project.resolve("made.txt")).exists();
                assertThat(project.resolve("nope.txt")).doesNotExist();
                allowed.hover();
                page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/auto-badges.png")));
            }
        }
    }
}
