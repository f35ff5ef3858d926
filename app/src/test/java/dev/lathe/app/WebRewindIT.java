package dev.lathe.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.RewoundTurns;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageRewound;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The web UI's "Rewind to here" (docs/rewind.md), in chromium against the packaged server and the fake model, over a
 * ten-turn session whose odd turns write {@code tool.txt} with the write tool and even turns {@code bash.txt} with a bash
 * command: code only, conversation only, both (with a file changed outside the agent, confirmed in the browser's
 * dialog), and "summarise from here"; the files on disk and the transcript are checked after each.
 */
class WebRewindIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Pattern TURN = Pattern.compile("turn (\\d+)");

    @TempDir Path home;
    TempWorkspace project;
    WebBed web;

    @BeforeEach
    void start() throws Exception {
        project = TempWorkspace.create().write("README.md", "# Project\n").initGitRepo();
        web = WebBed.start(llm -> {
            llm.respondWith(r -> {
                String last = r.lastUserText();
                if (last.contains("summarise the conversation from their message")) return Turn.of(Step.text("SUMMARY of the later turns."));
                if (last.contains("The goal check")) {
                    return r.toolResult("g1").isPresent() ? Turn.of(Step.text("made goal.txt"))
                            : Turn.of(Step.toolCall("g1", "write", JSON.writeValueAsString(JSON.createObjectNode().put("path", "goal.txt").put("content", "ok\n"))));
                }
                Matcher m = TURN.matcher(last);
                int n = m.find() ? Integer.parseInt(m.group(1)) : 0;
                String call = "c" + n;
                if (r.toolResult(call).isPresent()) return Turn.of(Step.text("done " + n));
                return n % 2 == 1
                        ? Turn.of(Step.toolCall(call, "write", JSON.writeValueAsString(JSON.createObjectNode().put("path", "tool.txt").put("content", "tool " + n + "\n"))))
                        : Turn.of(Step.toolCall(call, "bash", JSON.writeValueAsString(JSON.createObjectNode().put("command", "printf 'bash " + n + "\\n' > bash.txt"))));
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
    void rewindToHereRestoresCodeConversationOrBothAndSummarises() throws Exception {
        SessionId id;
        try (var api = web.api()) {
            id = api.createSession(new CreateSessionRequest(project.path().toString(), Optional.of("Ten turns"), Optional.empty(), Optional.empty(),
                    Optional.empty())).id();
            for (int i = 1; i <= 10; i++) turn(api, id, i);
        }
        assertThat(project.read("tool.txt")).isEqualTo("tool 9\n");
        assertThat(project.read("bash.txt")).isEqualTo("bash 10\n");
        Page page = web.login(web.chromium.desktop(1280, 900));
        page.navigate(page.url().replaceAll("#.*$", "") + "#/session/" + id.value());
        assertThat(prompt(page, 10)).isVisible();

        // code only, to before turn 9: tool.txt as turn 7 wrote it, bash.txt as turn 8 did; nothing rewound
        rewind(page, 9, "Code only");
        assertThat(page.getByText("Rewound: 2 files put back")).isVisible();
        assertThat(project.read("tool.txt")).isEqualTo("tool 7\n");
        assertThat(project.read("bash.txt")).isEqualTo("bash 8\n");
        assertThat(page.locator(".msg.is-rewound")).hasCount(0);

        // conversation only, to before turn 8: files stay, turns 8 to 10 dimmed and tagged, still listed
        rewind(page, 8, "Conversation only");
        assertThat(prompt(page, 8)).hasClass(Pattern.compile("is-rewound"));
        assertThat(project.read("tool.txt")).isEqualTo("tool 7\n");
        assertThat(prompt(page, 10)).hasClass(Pattern.compile("is-rewound"));
        assertThat(prompt(page, 7)).not().hasClass(Pattern.compile("is-rewound"));
        assertThat(page.locator(".msg-user .tag-rewound")).hasCount(3);

        // both, to before turn 5, with tool.txt changed by the user meanwhile: the browser asks, the user confirms
        Files.writeString(project.resolve("tool.txt"), "mine\n");
        List<String> asked = new CopyOnWriteArrayList<>();
        page.onceDialog(dialog -> {
            asked.add(dialog.message());
            dialog.accept();
        });
        rewind(page, 5, "Code and conversation");
        assertThat(prompt(page, 5)).hasClass(Pattern.compile("is-rewound"));
        assertThat(asked).singleElement().asString().contains("changed outside the agent", "tool.txt", "Restore them too").doesNotContain("bash.txt");
        assertThat(project.read("tool.txt")).isEqualTo("tool 3\n");
        assertThat(project.read("bash.txt")).isEqualTo("bash 4\n");

        // summarise from turn 3: the files stay, turns 3 and 4 are rewound, the summary follows them
        rewind(page, 3, "Summarise from here");
        assertThat(page.locator(".summary-mark")).containsText("Rewound and summarised");
        assertThat(page.getByText("SUMMARY of the later turns.")).isVisible();
        assertThat(prompt(page, 3)).hasClass(Pattern.compile("is-rewound"));
        assertThat(project.read("tool.txt")).isEqualTo("tool 3\n");
        assertThat(prompt(page, 2)).not().hasClass(Pattern.compile("is-rewound"));

        try (var api = web.api()) {
            List<MessageWithParts> messages = api.messages(id);
            assertThat(messages).as("nothing deleted: 10 turns and the summary pair").hasSize(10 * 2 + 2);
            assertThat(RewoundTurns.of(messages)).hasSize(8 * 2);
            assertThat(MessageRewound.summarises(messages.get(messages.size() - 2).parts())).isTrue();
            web.llm.forgetRequests();
            api.prompt(id, PromptRequest.text("turn 11"));
            awaitAnswered(api, id, 11);
        }
        String sent = web.llm.requests().getFirst().body();
        assertThat(sent).as("the model reads turns 1 and 2, the summary, then the new prompt").contains("turn 2", "SUMMARY of the later turns.", "turn 11")
                .doesNotContain("done 3", "done 4", "turn 9");
    }

    @Test
    void goalInTheComposerRunsTheCheckSendsItsFailureAndStopsWhenItPasses() throws Exception {
        SessionId id;
        try (var api = web.api()) {
            id = api.createSession(new CreateSessionRequest(project.path().toString(), Optional.of("Goal"), Optional.empty(), Optional.empty(),
                    Optional.empty())).id();
            turn(api, id, 1);
        }
        Page page = web.login(web.chromium.desktop(1280, 900));
        page.navigate(page.url().replaceAll("#.*$", "") + "#/session/" + id.value());
        Locator message = page.getByRole(com.microsoft.playwright.options.AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message").setExact(true));
        assertThat(message).isVisible();
        message.fill("/goal test -f goal.txt");
        message.press("Enter");

        assertThat(page.getByText("Goal reached")).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(60_000));
        assertThat(project.read("goal.txt")).isEqualTo("ok\n");
        var prompts = web.llm.requests().stream().map(r -> r.lastUserText()).filter(t -> t.contains("The goal check")).distinct().toList();
        assertThat(prompts).as("one failed check, sent back once").singleElement().asString()
                .contains("`test -f goal.txt` exited with code 1 after turn 1 of 10").doesNotContain("<check-output>");
        try (var api = web.api()) {
            assertThat(api.messages(id).toString()).as("each check is in the transcript as the user's command").contains("test -f goal.txt");
        }
    }

    /** The article of the prompt "turn N". */
    private static Locator prompt(Page page, int n) {
        return page.locator("article.msg-user").filter(new Locator.FilterOptions().setHas(page.locator(".user-text", new Page.LocatorOptions()
                .setHasText(Pattern.compile("^turn " + n + "$")))));
    }

    private static void rewind(Page page, int n, String choice) {
        Locator menu = prompt(page, n).locator("details.rewind-menu");
        menu.locator("summary").click();
        menu.getByText(choice, new Locator.GetByTextOptions().setExact(true)).click();
    }

    /** Sends "turn N" and waits for the turn's answer (a tool call, then "done N"). */
    private static void turn(HttpLatheClient api, SessionId id, int n) throws Exception {
        api.prompt(id, PromptRequest.text("turn " + n));
        awaitAnswered(api, id, n);
    }

    private static void awaitAnswered(HttpLatheClient api, SessionId id, int n) throws Exception {
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until) {
            List<MessageWithParts> messages = api.messages(id);
            boolean answered = !messages.isEmpty() && messages.getLast().info() instanceof AssistantMessage a && a.completedAt().isPresent()
                    && messages.getLast().parts().toString().contains("done " + n);
            if (answered && api.status(id) instanceof SessionStatus.Idle) return;
            Thread.sleep(100);
        }
        throw new AssertionError("turn " + n + " was not answered: " + api.messages(id));
    }
}
