package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ScreenshotAnimations;
import dev.lathe.client.HttpLatheClient;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.UpdateSessionRequest;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.PostgresCluster;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The web UI's asks on a team node (DESIGN §20 "Users"): everyone watches every session, only its owner or an admin
 * answers, so the inbox offers answer buttons only on asks the signed-in user may answer. Bob's permission ask and
 * question show in alice's inbox without buttons, naming bob; her own ask keeps its buttons and her answer goes through.
 */
class TeamAsksIT {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;

    @Test
    void theInboxOffersAnswersOnlyOnAsksTheSignedInUserMayAnswer() throws Exception {
        var db = PostgresCluster.shared().newDatabase("team_asks");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            // each session's first step asks: alice's and bob's edits, and bob's question; then a plain answer
            llm.respondWith(r -> {
                if (r.toolResult("c1").isPresent() || r.toolResult("q1").isPresent()) return Turn.of(Step.text("Done."));
                if (r.lastUserText().contains("ask me")) {
                    return Turn.of(Step.toolCall("q1", "question", "{\"questions\":[{\"question\":\"Which branch?\",\"options\":[\"main\",\"dev\"]}]}"));
                }
                String file = r.lastUserText().contains("alice") ? "alice.txt" : "bob.txt";
                return Turn.of(Step.toolCall("c1", "write", "{\"path\":\"" + file + "\",\"content\":\"hi\\n\"}"));
            });
            ws.write("README.md", "# team\n").initGitRepo();
            String dir = ws.path().toString();
            ObjectNode config = (ObjectNode) JSON.readTree(Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-team"));
            config.set("permission", JSON.readTree("{\"*\": \"allow\", \"edit\": \"ask\"}"));
            try (var team = TeamNode.start(tmp.resolve("node"), JSON.writeValueAsString(config), db.url())) {
                ServerEndpoint node = team.endpoint();
                String alice = team.addUser("alice");
                String bob = team.addUser("bob");
                SessionId aliceSession;
                try (var asAlice = HttpLatheClient.connect(node.uri(), alice, Optional.of(dir));
                        var asBob = HttpLatheClient.connect(node.uri(), bob, Optional.of(dir))) {
                    aliceSession = asAlice.createSession(CreateSessionRequest.in(dir)).id();
                    asAlice.updateSession(aliceSession, UpdateSessionRequest.title("Alice's edit"));
                    SessionId bobEdit = asBob.createSession(CreateSessionRequest.in(dir)).id();
                    asBob.updateSession(bobEdit, UpdateSessionRequest.title("Bob's edit"));
                    SessionId bobQuestion = asBob.createSession(CreateSessionRequest.in(dir)).id();
                    asBob.updateSession(bobQuestion, UpdateSessionRequest.title("Bob's question"));
                    asAlice.prompt(aliceSession, PromptRequest.text("alice: write your file"));
                    asBob.prompt(bobEdit, PromptRequest.text("bob: write your file"));
                    asBob.prompt(bobQuestion, PromptRequest.text("ask me which branch"));
                    awaitAsks(asAlice, dir);
                }
                inbox(node, alice, aliceSession);
                try (var asAlice = HttpLatheClient.connect(node.uri(), alice, Optional.of(dir))) {
                    assertThat(asAlice.permissions(dir)).extracting(p -> p.sessionId()).doesNotContain(aliceSession);
                }
            }
        }
    }

    /** Alice's browser, signed in with her token: her ask answerable, bob's two shown without answers. */
    private void inbox(ServerEndpoint node, String alice, SessionId aliceSession) throws Exception {
        try (Chromium chromium = Chromium.launch()) {
            PlaywrightAssertions.setDefaultAssertionTimeout(Chromium.TIMEOUT_MS);
            BrowserContext context = chromium.desktop(1280, 900);
            var code = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + "/login/code"))
                    .header("Authorization", "Bearer " + alice).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(code.statusCode()).as(code.body()).isEqualTo(200);
            Page page = context.newPage();
            page.navigate(JSON.readTree(code.body()).path("url").asString());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in").setExact(true)).click();
            PlaywrightAssertions.assertThat(page.getByRole(AriaRole.STATUS, new Page.GetByRoleOptions().setName("Connection").setExact(true)))
                    .hasText("live");
            // the board offers to answer her own ask only: bob's are there to look at
            PlaywrightAssertions.assertThat(boardRow(page, "Alice's edit").locator(".answer-link")).hasText("Answer");
            PlaywrightAssertions.assertThat(boardRow(page, "Bob's edit").locator(".answer-link")).hasText("View ask");
            page.navigate(page.url().replaceAll("#.*$", "") + "#/inbox");
            // one of the three waits for her: the others wait for bob
            PlaywrightAssertions.assertThat(page.locator(".inbox-head .page-sub")).hasText("1 waiting for you · 2 for their owners to answer");
            Locator cards = page.locator(".inbox-item .ask-card");
            PlaywrightAssertions.assertThat(cards).hasCount(3);
            Locator bobsEdit = card(page, "Bob's edit");
            Locator bobsQuestion = card(page, "Bob's question");
            Locator hers = card(page, "Alice's edit");
            PlaywrightAssertions.assertThat(bobsEdit).containsText("Only bob (the session's owner) or an admin can answer this.");
            PlaywrightAssertions.assertThat(bobsEdit).containsText("You are signed in as alice.");
            PlaywrightAssertions.assertThat(bobsQuestion).containsText("Which branch?");
            PlaywrightAssertions.assertThat(bobsQuestion).containsText("Only bob (the session's owner) or an admin can answer this.");
            for (Locator other : new Locator[] {bobsEdit, bobsQuestion}) {
                PlaywrightAssertions.assertThat(other.getByRole(AriaRole.BUTTON)).hasCount(0);
                PlaywrightAssertions.assertThat(other.locator("input, textarea")).hasCount(0);
            }
            Locator allow = hers.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Allow once").setExact(true));
            PlaywrightAssertions.assertThat(allow).isVisible();
            PlaywrightAssertions.assertThat(hers.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reject").setExact(true))).isVisible();
            // three asks in the inbox, one of them waits for alice: the tab's count and the page title say one
            Locator count = page.locator("a[href='#/inbox'] .count");
            PlaywrightAssertions.assertThat(count).hasText("1");
            PlaywrightAssertions.assertThat(page).hasTitle(Pattern.compile("^\\(1\\) .*"));
            Path shots = Files.createDirectories(Path.of(System.getProperty("lathe.docs", "../docs")).resolve("screenshots"));
            page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve("team-inbox.png")).setAnimations(ScreenshotAnimations.DISABLED));
            page.waitForTimeout(600);  // past the ask's arming moment (decision in ask.js): a click then is deliberate
            allow.click();
            PlaywrightAssertions.assertThat(cards).hasCount(2);
            PlaywrightAssertions.assertThat(page.locator(".ask-error")).hasCount(0);
            PlaywrightAssertions.assertThat(count).hasCount(0);
            // bob's session, opened from his ask: alice watches it, with no prompt box the server would refuse
            bobsEdit.locator(".ask-session").click();
            PlaywrightAssertions.assertThat(page.locator(".prompt-watch-only"))
                    .containsText("You are watching bob's session: only its owner or an admin can send it messages.");
            PlaywrightAssertions.assertThat(page.locator(".sv-foot textarea")).hasCount(0);
            // her own session keeps its prompt box
            page.navigate(page.url().replaceAll("#.*$", "") + "#/session/" + aliceSession.value());
            PlaywrightAssertions.assertThat(page.locator(".sv-foot textarea")).hasCount(1);
            PlaywrightAssertions.assertThat(page.locator(".prompt-watch-only")).hasCount(0);
            chromium.closeContexts();
            assertThat(chromium.offLoopbackRequests()).isEmpty();
            assertThat(chromium.pageErrors()).as("console errors: %s", chromium.consoleErrors()).isEmpty();
        }
    }

    private static Locator boardRow(Page page, String title) {
        return page.locator("li.row").filter(new Locator.FilterOptions().setHasText(title));
    }

    private static Locator card(Page page, String title) {
        return page.locator(".inbox-item .ask-card").filter(new Locator.FilterOptions().setHasText(title));
    }

    private static void awaitAsks(HttpLatheClient client, String dir) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < end) {
            if (client.permissions(dir).size() == 2 && client.questions(dir).size() == 1) return;
            Thread.sleep(100);
        }
        throw new AssertionError("the three asks did not come: " + client.permissions(dir) + " " + client.questions(dir));
    }
}
