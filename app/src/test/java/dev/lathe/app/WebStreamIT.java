package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.Part;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running session opened in the web UI shows its streaming answer without splices (issue 42): pages opened at random
 * moments of the first half of a slow stream (its second half waits until all are open), some already on the board and some fresh, watch the answer's text at every change of the
 * page (a MutationObserver) and it is always a beginning of the stored answer, never text joined mid-word or a
 * paragraph left out, and in the end all of it. Chromium against the packaged server and the fake model.
 */
class WebStreamIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    /** Records every state of the answer's text that is not a beginning of the expected answer (whitespace aside). */
    static final String WATCH = """
            (() => {
                window.__expected = %s;
                const squash = (s) => s.replace(/\\s+/g, '');
                window.__bad = [];
                window.__checks = 0;
                window.__text = '';
                const check = () => {
                    if (!window.__expected) return;
                    const text = squash([...document.querySelectorAll('.msg-assistant .part-text')].map((p) => p.textContent).join(''));
                    window.__checks++;
                    window.__text = text;
                    if (!squash(window.__expected).startsWith(text) && window.__bad.length < 5) window.__bad.push(text.slice(-120));
                };
                new MutationObserver(check).observe(document, {subtree: true, childList: true, characterData: true});
            })();""";

    @TempDir Path home;
    @TempDir Path project;
    WebBed web;

    @BeforeEach
    void start() throws Exception {
        web = WebBed.start(llm -> new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-web")));
    }

    @AfterEach
    void stop() throws Exception {
        if (web != null) web.close();
    }

    @Test
    void pagesOpenedAtRandomMomentsOfAStreamShowABeginningOfTheAnswerAtEveryChangeAndThenAllOfIt() throws Exception {
        // paragraphs of words, streamed a word at a time: a splice shows as a word cut or a word skipped
        List<String> deltas = IntStream.range(0, 360).mapToObj(i -> i % 30 == 29 ? "end of part " + i / 30 + ".\n\n" : "word" + i + " ").toList();
        String answer = String.join("", deltas);
        // the stream stops halfway until every page is open: a page opened late on a slow machine still watches half of it
        var allOpen = new CountDownLatch(1);
        web.llm.enqueue(Turn.of(Step.textDeltas(deltas)).delayBetweenEvents(Duration.ofMillis(15)).pauseAfter(deltas.size() / 2, allOpen));
        SessionId id;
        try (var api = web.api()) {
            id = api.createSession(new CreateSessionRequest(project.toString(), Optional.of("Slow answer"), Optional.empty(), Optional.empty(),
                    Optional.empty())).id();
        }
        BrowserContext context = web.chromium.desktop();
        String base = login(context);
        Random random = new Random();
        // pages already open on the board when the stream starts, which open the session later (their stream is live)
        List<Page> pages = new ArrayList<>();
        for (int i = 0; i < 2; i++) pages.add(watched(context, base + "#/", answer));
        try (var api = web.api()) {
            api.prompt(id, new PromptRequest(List.of(new InputPart.Text("talk slowly")), Optional.empty(), Optional.empty()));
        }
        String session = base + "#/session/" + id.value();
        for (int i = 0; i < 5; i++) {
            Thread.sleep(random.nextInt(100, 700));
            if (i < 2) pages.get(i).navigate(session); // the same document: a hash change opens the session view
            else pages.add(watched(context, session, answer)); // a fresh page: its stream starts with the session's load
        }
        allOpen.countDown();
        try (var api = web.api()) {
            for (int i = 0; i < 300 && !(api.status(id) instanceof dev.lathe.protocol.session.SessionStatus.Idle); i++) Thread.sleep(100);
            String stored = api.messages(id).getLast().parts().stream().filter(p -> p instanceof Part.Text).map(p -> ((Part.Text) p).text())
                    .reduce("", String::concat);
            assertThat(stored).isEqualTo(answer);
        }
        String squashed = answer.replaceAll("\\s+", "");
        int n = 0;
        for (Page page : pages) {
            n++;
            page.waitForFunction("(whole) => window.__text === whole", squashed);
            assertThat(page.evaluate("() => window.__bad")).as("page %d: states of the answer that are no beginning of it", n).asList().isEmpty();
            assertThat((Integer) page.evaluate("() => window.__checks")).as("page %d watched the stream", n).isGreaterThan(10);
        }
        pages.getLast().screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "web-stream.png")));
    }

    /** A page of the logged-in context that watches the answer's text from its first moment. */
    private static Page watched(BrowserContext context, String url, String answer) {
        Page page = context.newPage();
        page.addInitScript(WATCH.formatted(JSON.writeValueAsString(answer)));
        page.navigate(url);
        assertThat(page.getByRole(AriaRole.STATUS, new Page.GetByRoleOptions().setName("Connection").setExact(true))).hasText("live");
        return page;
    }

    /** Logs the context in (the key lands in its local storage) and returns the web UI's address. */
    private String login(BrowserContext context) throws Exception {
        Page page = web.login(context);
        String base = page.url().replaceAll("#.*$", "");
        page.close();
        return base;
    }
}
