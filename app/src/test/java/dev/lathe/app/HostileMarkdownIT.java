package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.lathe.client.HttpLatheClient;
import dev.lathe.client.ServerEndpoint;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 40: model output is untrusted, and the web UI renders it as Markdown. A real session whose fake model answers
 * with every kind of script-bearing Markdown and HTML ({@code <img onerror>}, {@code javascript:} and {@code data:}
 * links, raw {@code <script>}, {@code <svg onload>}, {@code <iframe>}, event attributes, mutation-XSS shapes), shown
 * in real chromium: no script of the answer runs ({@code window.__pwned} stays unset, no dialog opens, no link
 * keeps a script URL), and the text is still there to read, escaped.
 */
class HostileMarkdownIT {
    /** Each line tries to set {@code window.__pwned} (or open a dialog) a different way; the first words are its label. */
    static final String HOSTILE = String.join("\n",
            "Plain start.",
            "",
            "img: <img src=x onerror=\"window.__pwned='img'\">",
            "",
            "<script>window.__pwned='script'; alert('script')</script>",
            "",
            "<svg onload=\"window.__pwned='svg'\"><circle r=\"1\"/></svg>",
            "",
            "<iframe src=\"javascript:parent.__pwned='iframe'\"></iframe>",
            "",
            "[js link](javascript:window.__pwned='link') and [spaced link]( javascript:alert('spaced') )",
            "",
            "[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "",
            "![md img](x\" onerror=\"window.__pwned='mdimg')",
            "",
            "<a href=\"javascript:window.__pwned='raw'\">raw anchor</a> <b onmouseover=\"window.__pwned='hover'\">bold</b>",
            "",
            "<details open ontoggle=\"window.__pwned='details'\"><summary>s</summary>x</details>",
            "",
            "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__pwned='mxss'\"></style></mglyph></table></mtext></math>",
            "",
            "<javascript:window.__pwned='autolink'>",
            "",
            "[ref link][r]",
            "",
            "[r]: javascript:window.__pwned='ref'",
            "",
            "```html",
            "<script>window.__pwned='code'</script>",
            "```",
            "",
            "Plain end.");

    @TempDir Path home;

    @Test
    void noScriptInAnAnswerRunsAndItsTextIsShownEscaped() throws Exception {
        try (var chromium = Chromium.launch(); var llm = FakeLlm.start(); var ws = TempWorkspace.create().write("a.txt", "x\n").initGitRepo()) {
            PlaywrightAssertions.setDefaultAssertionTimeout(Chromium.TIMEOUT_MS);
            llm.respondWith(r -> Turn.of(Step.text(HOSTILE)));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-md"));
            var serve = ServeProcess.start(lathe);
            try {
                ServerEndpoint server = serve.awaitReady(Duration.ofSeconds(60)).endpoint();
                SessionId id;
                try (var api = HttpLatheClient.connect(server, Optional.empty())) {
                    id = api.createSession(new CreateSessionRequest(ws.path().toString(), Optional.of("Hostile answer"), Optional.empty(),
                            Optional.empty(), Optional.empty())).id();
                }
                BrowserContext context = chromium.desktop();
                List<String> dialogs = new CopyOnWriteArrayList<>();
                context.onPage(p -> p.onDialog(d -> {
                    dialogs.add(d.type() + ": " + d.message());
                    d.dismiss();
                }));
                Page page = WebLogin.login(context, server);
                page.navigate(server.url() + "/#/session/" + id.value());
                Locator message = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message").setExact(true));
                message.fill("say something nasty");
                message.press("Enter");
                Locator transcript = page.getByRole(AriaRole.LOG, new Page.GetByRoleOptions().setName("Transcript").setExact(true));
                assertThat(transcript).containsText("Plain end.");

                // raw HTML stays text: the reader sees what the model wrote
                assertThat(transcript).containsText("<script>window.__pwned='script'; alert('script')</script>");
                assertThat(transcript).containsText("<img src=x onerror=");
                assertThat(transcript).containsText("<svg onload=");
                assertThat(transcript).containsText("raw anchor");
                // hover and click everything the answer made clickable: still nothing runs
                Locator links = transcript.locator(".md a");
                for (int i = 0; i < links.count(); i++) {
                    Locator a = links.nth(i);
                    a.hover();
                    a.click(new Locator.ClickOptions().setModifiers(List.of(com.microsoft.playwright.options.KeyboardModifier.SHIFT)).setTimeout(5_000)
                            .setForce(true));
                }
                transcript.locator(".md img, .md svg, .md iframe, .md details").all().forEach(e -> e.hover(new Locator.HoverOptions().setForce(true)));
                page.waitForTimeout(300); // onerror/onload/ontoggle fire within a frame or two of insertion; give them a moment

                for (Page p : context.pages()) {
                    assertThat(p.evaluate("() => window.__pwned === undefined ? null : String(window.__pwned)")).as("window.__pwned on " + p.url()).isNull();
                }
                assertThat(dialogs).as("dialogs opened").isEmpty();
                @SuppressWarnings("unchecked")
                List<String> hrefs = (List<String>) transcript.evaluate("t => [...t.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))");
                assertThat(hrefs).as("links the answer made").noneMatch(h -> h.strip().toLowerCase().matches("^(javascript|data|vbscript):.*"));
                assertThat(transcript.locator("script, iframe, object, embed, [onerror], [onload], [onmouseover], [ontoggle]")).hasCount(0);
                assertThat(chromium.offLoopbackRequests()).as("requests off the machine").isEmpty();
            } finally {
                chromium.closeContexts();
                serve.stop(Duration.ofSeconds(10));
            }
        }
    }
}
