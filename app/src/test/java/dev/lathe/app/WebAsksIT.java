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
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Asks in the web UI's session view (issue 42), in chromium against the packaged server and the fake model: a click
 * or an Enter in the first moment after an ask appears answers nothing (a message typed then is queued), a deliberate
 * click answers, on a 1280×900 screen an ask with a long diff keeps its buttons in sight above the prompt box, and the
 * call the ask holds shows "waiting for approval", not "running".
 */
class WebAsksIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String LONG = IntStream.rangeClosed(1, 120).mapToObj(i -> "row " + i).collect(Collectors.joining("\n", "", "\n"));

    /** A line no "always" rule covers safely: its script is one quoted word with blanks (issue 82). */
    static final String SCRIPT = "python3 -c 'import sys; print(sys.version_info[0])'";
    static final String SCRIPT_PROMPT = "Run the version script";

    @TempDir Path home;
    @TempDir Path project;
    WebBed web;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(project.resolve("README.md"), "# Project\n", StandardCharsets.UTF_8);
        web = WebBed.start(llm -> {
            llm.respondWith(r -> r.body().contains(SCRIPT_PROMPT)
                    ? r.toolResult("c2").isEmpty()
                            ? Turn.of(Step.text("I will run it."), Step.toolCall("c2", "bash",
                                    JSON.writeValueAsString(JSON.createObjectNode().put("command", SCRIPT).put("description", "run the script"))))
                            : Turn.of(Step.text("Ran the script."))
                    : r.toolResult("c1").isEmpty()
                    ? Turn.of(Step.text("I will write it."), Step.toolCall("c1", "write",
                            JSON.writeValueAsString(JSON.createObjectNode().put("path", "big.txt").put("content", LONG))))
                    : Turn.of(Step.text("Wrote big.txt.")));
            ObjectNode config = (ObjectNode) JSON.readTree(Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-web"));
            config.set("permission", JSON.readTree("{\"*\": \"allow\", \"edit\": \"ask\", \"bash\": \"ask\"}"));
            return new Lathe(home, JSON.writeValueAsString(config));
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (web != null) web.close();
    }

    @Test
    void aClickOrEnterJustAfterAnAskAppearsAnswersNothingAndItsButtonsStayInSightAt1280x900() throws Exception {
        SessionId id;
        try (var api = web.api()) {
            id = api.createSession(new CreateSessionRequest(project.toString(), Optional.of("Big file"), Optional.empty(), Optional.empty(),
                    Optional.empty())).id();
        }
        BrowserContext context = web.chromium.desktop(1280, 900);
        Page page = web.login(context);
        page.navigate(page.url().replaceAll("#.*$", "") + "#/session/" + id.value());
        Locator message = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message").setExact(true));
        assertThat(message).isVisible();
        // as a user whose click or key lands just as the ask appears: "Allow once" clicked in the frame it is drawn,
        // then "2" and Enter typed into the prompt box
        page.evaluate("""
                () => { window.__early = new Promise(done => {
                    const look = () => {
                        const b = [...document.querySelectorAll('button')].find(x => x.textContent.trim() === 'Allow once');
                        if (!b) return false;
                        observer.disconnect();
                        b.click();
                        done(true);
                        return true;
                    };
                    const observer = new MutationObserver(look);
                    observer.observe(document.body, {subtree: true, childList: true});
                }); }""");
        message.fill("Write the big file");
        message.press("Enter");
        assertThat(page.evaluate("() => window.__early")).isEqualTo(true);
        message.fill("2");
        message.press("Enter");
        Locator ask = page.locator(".sv-asks .ask-card");
        assertThat(ask.getByText("It just appeared")).isVisible();
        // the call the ask holds says so in the transcript: it is not running, it waits for the user
        Locator writeCall = page.locator("section.tool").filter(new Locator.FilterOptions().setHas(page.locator(".tool-name", new Page.LocatorOptions().setHasText("write"))));
        assertThat(writeCall.locator("[data-tool-status]")).hasText("waiting for approval");
        assertThat(writeCall).hasAttribute("aria-label", "write waiting for approval");
        assertThat(message).hasValue(""); // sent (queued), not taken by the ask
        assertThat(project.resolve("big.txt")).as("not written").doesNotExist();
        try (var api = web.api()) {
            assertThat(api.permissions(project.toString())).as("the ask still waits").hasSize(1);
        }

        // the buttons keep their names and are in sight, uncovered, above the prompt box, without scrolling
        Locator allowOnce = ask.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Allow once").setExact(true));
        for (String name : List.of("Allow once", "Always allow", "Reject")) {
            Locator button = ask.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name).setExact(true));
            assertThat(button).isInViewport(new com.microsoft.playwright.assertions.LocatorAssertions.IsInViewportOptions().setRatio(1));
            Object onTop = button.evaluate("""
                    b => { const r = b.getBoundingClientRect();
                        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                        return hit === b || b.contains(hit); }""");
            assertThat(onTop).as(name + " is the element at its centre").isEqualTo(true);
        }
        // a user's deliberate click comes once the ask is armed (its first 500 ms take none): on a fast machine the
        // checks above can all pass inside that time, so wait for the state, not for the machine's speed
        assertThat(page.locator(".sv-asks .ask-card.arming")).hasCount(0);
        allowOnce.click();
        assertThat(page.getByText("Wrote big.txt.")).isVisible();
        assertThat(writeCall.locator("[data-tool-status]")).hasText("done");
        assertThat(Files.readString(project.resolve("big.txt"))).isEqualTo(LONG);
        assertThat(web.llm.requests().get(1).body()).as("the queued message reaches the model").contains("\"2\"");
    }

    @Test
    void anAskWithNothingToRememberOffersNoAlwaysAllow() throws Exception {
        SessionId id;
        try (var api = web.api()) {
            id = api.createSession(new CreateSessionRequest(project.toString(), Optional.of("Script"), Optional.empty(), Optional.empty(),
                    Optional.empty())).id();
        }
        Page page = web.login(web.chromium.desktop(1280, 900));
        page.navigate(page.url().replaceAll("#.*$", "") + "#/session/" + id.value());
        Locator message = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message").setExact(true));
        message.fill(SCRIPT_PROMPT);
        message.press("Enter");
        Locator ask = page.locator(".sv-asks .ask-card");
        assertThat(ask.getByText("python3 -c").first()).isVisible();
        // "Always allow" would save nothing for this line, and the same command would ask again: it is not offered
        assertThat(ask.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Allow once").setExact(true))).isVisible();
        assertThat(ask.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reject").setExact(true))).isVisible();
        assertThat(ask.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Always allow").setExact(true))).hasCount(0);
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/ask-without-always.png")));
        assertThat(page.locator(".sv-asks .ask-card.arming")).hasCount(0);
        ask.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Allow once").setExact(true)).click();
        assertThat(page.getByText("Ran the script.")).isVisible();
    }
}
