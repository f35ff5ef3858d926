package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The terminal UI end to end: the packaged {@code lathe} in a real pseudo-terminal (tmux), typed at with keys,
 * read back from the screen, against the fake model. Bare {@code lathe} starts the daemon itself, as a user's would.
 * The tests that configure the same permission share that daemon (its home and the fake model), each in its own
 * project folder and session: a daemon's start and stop cost more CPU than most of these tests (issue 55). The trust
 * tests keep a home of their own, since what a home trusts is what they assert.
 */
class TerminalUiIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration WAIT = Duration.ofSeconds(20);
    static final int WIDTH = 100;
    static final int HEIGHT = 30;
    static final String FOOTER = "build · fake/fake-model";

    /** The daemons the tests share, one per permission configured (the config a daemon reads once), by permission. */
    private static final Map<String, Lathe> SHARED = new HashMap<>();
    private static FakeLlm llm;
    @TempDir static Path homes;

    @TempDir Path home;
    TuiBed bed;

    @BeforeAll
    static void startTheFakeModel() {
        llm = FakeLlm.start();
    }

    @AfterAll
    static void stopTheSharedDaemons() {
        try {
            SHARED.values().forEach(Lathe::stopDaemon);
        } finally {
            llm.close();
        }
    }

    @BeforeEach
    void setUp() {
        bed = TuiBed.sharing(llm, "alpha\nbeta\ngamma\n");
    }

    @AfterEach
    void tearDown() {
        // the terminal first, so no client is left attached to a daemon that is being stopped
        if (bed != null) bed.close();
    }

    @Test
    void aTaskWithAnEditAskedAndAllowedFromTheKeyboard() throws Exception {
        start("{\"*\": \"allow\", \"bash\": \"allow\", \"edit\": \"ask\"}");
        bed.llm.enqueue(Turn.of(Step.text("I will rename it."),
                Step.toolCall("c1", "edit", "{\"path\":\"notes.txt\",\"oldString\":\"beta\",\"newString\":\"bravo\"}")));
        bed.llm.enqueue(Turn.of(Step.text("Renamed **beta** to bravo in `notes.txt`.")));

        bed.tmux.type("rename beta to bravo in notes.txt");
        bed.tmux.awaitText("› rename beta to bravo in notes.txt", WAIT);
        bed.tmux.sendKeys("Enter");
        String asked = bed.tmux.awaitText("Permission: edit", WAIT);
        assertThat(asked).contains("╭ Permission: edit").contains("Edit notes.txt").contains("1. Yes, once").contains("2. Yes, allow all edits in this session")
                .contains("3. No");
        assertThat(bed.ws.read("notes.txt")).as("nothing is written before the answer").isEqualTo("alpha\nbeta\ngamma\n");

        bed.tmux.answerAsk(1, WAIT);
        String done = bed.tmux.awaitText("Renamed beta to bravo in notes.txt.", WAIT);
        assertThat(done).contains("✓ edit notes.txt");
        assertThat(done).as("the diff under the edit line").containsPattern(Pattern.compile("(?m)^\\s+[\\d ]*\\+ bravo\\s*$"))
                .containsPattern(Pattern.compile("(?m)^\\s+[\\d ]*- beta\\s*$"));
        assertThat(done).as("Markdown is rendered, not shown as source").doesNotContain("**beta**").doesNotContain("`notes.txt`");
        assertThat(bed.ws.read("notes.txt")).isEqualTo("alpha\nbravo\ngamma\n");
        assertThat(bed.llm.requests()).hasSize(2);
        assertThat(bed.llm.requests().get(1).toolResult("c1")).hasValueSatisfying(r -> assertThat(r).contains("Edited notes.txt"));

        // idle again: the ask and the status line are gone, the editor and footer are back
        String idle = bed.tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);
        assertThat(visible()).as("the ask panel is closed").noneMatch(l -> l.contains("Permission: edit"));
        assertThat(idle).contains(FOOTER).contains("ctx").as("the fake model has no price").contains("price unknown");
        writeCaptures();

        bed.tmux.sendKeys("C-c");
        bed.tmux.awaitText("ctrl+c again to exit", WAIT);
        bed.tmux.sendKeys("C-c");
        String farewell = bed.tmux.awaitText(Pattern.compile("Resume with: lathe attach --session ses_\\w+"), WAIT);
        assertThat(bed.tmux.awaitExit(WAIT)).isZero();
        assertThat(lastNonBlank(farewell)).startsWith("Resume with: lathe attach --session " + onlySession().get("id").asString());
    }

    @Test
    void aSubagentsAskIsAnsweredHereAndItsSessionOpensFromTheSessionPicker() throws Exception {
        start("{\"*\": \"allow\", \"edit\": \"ask\"}");
        bed.llm.respondWith(r -> {
            if (r.system().contains("general-purpose agent")) {
                return r.toolResult("c1").isEmpty()
                        ? Turn.of(Step.toolCall("c1", "edit", "{\"path\":\"notes.txt\",\"oldString\":\"beta\",\"newString\":\"bravo\"}"))
                        : Turn.of(Step.text("CHILD-REPORT: renamed beta."));
            }
            return r.toolResult("t1").isEmpty()
                    ? Turn.of(Step.toolCall("t1", "task", "{\"description\":\"Rename beta\",\"prompt\":\"Rename beta to bravo in notes.txt\","
                            + "\"agent\":\"general\"}"))
                    : Turn.of(Step.text("The subagent renamed it."));
        });

        bed.tmux.type("delegate the rename").sendKeys("Enter");
        // the subagent's ask appears in the parent's UI and is answered like its own
        bed.tmux.awaitText("Permission: edit", WAIT);
        bed.tmux.answerAsk(1, WAIT);
        String done = bed.tmux.awaitText("The subagent renamed it.", WAIT);
        assertThat(done).contains("✓ task @general Rename beta").contains("CHILD-REPORT: renamed beta.");
        assertThat(bed.ws.read("notes.txt")).isEqualTo("alpha\nbravo\ngamma\n");
        bed.tmux.await("the idle screen", sc -> !sc.contains("Working…") && sc.contains("Ask anything"), WAIT);

        bed.tmux.sendKeys("C-s");
        bed.tmux.awaitText("↳ Rename beta (@general subagent)", WAIT);
        bed.tmux.sendKeys("Down").sendKeys("Enter");
        String child = bed.tmux.awaitText(Pattern.compile("subagent of ses_\\w+"), WAIT);
        assertThat(child).contains("Rename beta to bravo in notes.txt").contains("✓ edit notes.txt").contains("CHILD-REPORT: renamed beta.");
    }

    @Test
    void theTrustQuestionListsEachCommandItWouldAllowAndEnterAloneKeepsTheFolderUntrusted() throws Exception {
        Path marker = bed.ws.path().resolve("owned");
        bed.ws.write(".mcp.json", "{\"mcpServers\": {\"evil\": {\"command\": \"sh\", \"args\": [\"-c\", \"touch owned\"]}}}");
        String question = startAlone("{\"*\": \"allow\"}", "Trust this folder?");
        // the exact command, not a count; and No is the answer Enter gives
        // with what its kind reaches (DESIGN §30); the command wraps onto the next row at this width
        assertThat(question).contains("new       .mcp.json MCP server evil (runs code, sends data to a host):")
                .contains("{\"command\":\"sh\",\"args\":[\"-c\",\"touch owned\"]}")
                .contains("› No, keep it untrusted");
        bed.tmux.sendKeys("Enter");
        bed.tmux.awaitText("Kept untrusted", WAIT);
        assertThat(bed.lathe.run("trust", "--list").stdout()).isEmpty();
        assertThat(marker).doesNotExist();
    }

    @Test
    void aProjectCommandIsOfferedAndItsShellCommandIsAskedForFromTheKeyboard() throws Exception {
        bed.ws.write(".lathe/commands/hello.md", "---\ndescription: Greet with the branch name\n---\nSay hi. Branch: !`git branch --show-current`");
        String branch = bed.ws.git("branch", "--show-current").strip();
        // the folder defines a shell command, so the first open asks whether to trust it; no is preselected, yes is below
        String question = startAlone("{\"*\": \"allow\", \"bash\": \"ask\"}", "Trust this folder?");
        assertThat(question).contains("This folder is not trusted").contains("skipped 1 !`cmd` shell command in a custom command from .lathe/commands")
                .contains("Yes, trust this folder").contains("› No, keep it untrusted");
        bed.tmux.sendKeys("Down").sendKeys("Enter");
        bed.tmux.awaitText("what it defines applies from the next message", WAIT);
        assertThat(bed.lathe.run("trust", "--list").stdout().strip()).isEqualTo(bed.ws.path().toRealPath().toString());
        bed.llm.enqueue(Turn.of(Step.text("Hi from the command.")));

        bed.tmux.type("/hello");
        bed.tmux.awaitText("Greet with the branch name", WAIT);
        bed.tmux.sendKeys("Enter");
        // the command waits for the answer before anything is sent; the UI stays free to take it
        String asked = bed.tmux.awaitText("Permission: bash", WAIT);
        assertThat(asked).contains("git branch --show-current");
        assertThat(bed.llm.requests()).isEmpty();
        bed.tmux.answerAsk(1, WAIT);
        bed.tmux.awaitText("Hi from the command.", WAIT);
        bed.tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);
        assertThat(bed.llm.requests()).singleElement().satisfies(r -> assertThat(r.lastUserText()).startsWith("/hello\nSay hi. Branch: " + branch));
        // the transcript shows what the user typed, not the expanded template (issue 82)
        assertThat(bed.tmux.screen()).anyMatch(row -> row.contains("/hello")).noneMatch(row -> row.contains("Say hi. Branch:"));
    }

    @Test
    void anEditRejectedWithAMessageContinuesTheTurnAndOneRejectedWithEscapeStopsIt() throws Exception {
        start("{\"*\": \"allow\", \"edit\": \"ask\"}");
        String edit = "{\"path\":\"notes.txt\",\"oldString\":\"beta\",\"newString\":\"bravo\"}";
        bed.llm.enqueue(Turn.of(Step.toolCall("c1", "edit", edit)));
        bed.llm.enqueue(Turn.of(Step.text("Keeping beta.")));

        bed.tmux.type("rename beta").sendKeys("Enter");
        bed.tmux.awaitText("Permission: edit", WAIT);
        bed.tmux.awaitArmedAsk(WAIT).sendKeys("3");
        bed.tmux.awaitText("and tell the agent:", WAIT);
        bed.tmux.type("keep beta as it is");
        bed.tmux.awaitText("and tell the agent: keep beta as it is", WAIT);
        bed.tmux.sendKeys("Enter");
        // the turn goes on with the message: a neutral note, then the model's answer
        String rejected = bed.tmux.awaitText("Keeping beta.", WAIT);
        assertThat(rejected).contains("⊘ edit").contains("Rejected by you: keep beta as it is").doesNotContain("✗ edit");
        bed.tmux.await("the turn's end", c -> !c.contains("Working…") && !c.contains("Permission: edit"), WAIT);
        assertThat(bed.ws.read("notes.txt")).isEqualTo("alpha\nbeta\ngamma\n");
        assertThat(failedTools()).singleElement().satisfies(e -> assertThat(e).contains("keep beta as it is"));
        assertThat(bed.llm.requests()).hasSize(2);
        assertThat(bed.llm.requests().get(1).toolResult("c1")).hasValueSatisfying(r -> assertThat(r).contains("keep beta as it is"));

        bed.llm.enqueue(Turn.of(Step.toolCall("c2", "edit", edit)));
        bed.tmux.type("rename beta, please").sendKeys("Enter");
        bed.tmux.await("a second ask", c -> c.indexOf("Permission: edit") >= 0 && c.contains("› rename beta, please"), WAIT);
        bed.tmux.awaitArmedAsk(WAIT).sendKeys("Escape");
        String stopped = bed.tmux.awaitText("Rejected by you; the agent stopped", WAIT);
        bed.tmux.await("the turn's end", c -> !c.contains("Working…") && !c.contains("Permission: edit"), WAIT);
        assertThat(bed.ws.read("notes.txt")).isEqualTo("alpha\nbeta\ngamma\n");
        assertThat(failedTools()).hasSize(2);
        assertThat(bed.llm.requests()).as("a plain rejection ends the turn").hasSize(3);
        assertThat(stopped).doesNotContain("✗");
    }

    /**
     * Issue 42: "2, Enter" typed for a message approved a command 0.4 s after its ask appeared. Keys typed right after
     * an ask appears go to the input and Enter queues them; only a deliberate select and confirm answers.
     */
    @Test
    void keysTypedRightAfterAnAskAppearsAreQueuedAndDoNotAnswerIt() throws Exception {
        start("{\"*\": \"allow\", \"bash\": \"ask\"}");
        bed.llm.respondWith(r -> r.toolResult("c1").isEmpty()
                ? Turn.of(Step.toolCall("c1", "bash", "{\"command\":\"touch ran.txt\",\"description\":\"Make ran.txt\"}"))
                : Turn.of(Step.text("Ran it.")));

        bed.tmux.type("make the file").sendKeys("Enter");
        bed.tmux.awaitText("Permission: bash", WAIT);
        bed.tmux.type("2").sendKeys("Enter");
        String queued = bed.tmux.awaitText(Pattern.compile("› 2\\s+\\(steering\\)"), WAIT);
        assertThat(queued).as("the ask is still open").contains("Permission: bash").contains("1. Yes, once");
        assertThat(bed.ws.path().resolve("ran.txt")).as("the command did not run").doesNotExist();
        assertThat(bed.llm.requests()).hasSize(1);

        bed.tmux.answerAsk(1, WAIT);
        bed.tmux.awaitText("Ran it.", WAIT);
        assertThat(bed.ws.path().resolve("ran.txt")).exists();
        assertThat(bed.llm.requests().get(1).body()).as("the queued text reaches the model as a message").contains("\"2\"");
        assertThat(JSON.readTree(bed.lathe.run("permissions", "--dir", bed.ws.path().toString(), "--format", "json").stdout()).size())
                .as("nothing was allowed for always").isZero();
    }

    /** Issue 53: a tall ask (a long diff) pushed the "(queued)" line above it off the screen; the note under it stays. */
    @Test
    void aMessageQueuedUnderATallAskSaysSo() throws Exception {
        start("{\"*\": \"allow\", \"edit\": \"ask\"}");
        String many = java.util.stream.IntStream.rangeClosed(1, 80).mapToObj(i -> "line " + i + "\\n").collect(java.util.stream.Collectors.joining());
        bed.llm.enqueue(Turn.of(Step.toolCall("c1", "edit", "{\"path\":\"notes.txt\",\"oldString\":\"beta\\n\",\"newString\":\"" + many + "\"}")));
        bed.llm.enqueue(Turn.of(Step.text("Done.")));

        bed.tmux.type("grow the notes").sendKeys("Enter");
        bed.tmux.awaitText("Permission: edit", WAIT);
        bed.tmux.type("and keep them short").sendKeys("Enter");
        String shown = bed.tmux.awaitText("Queued for the agent: and keep them short", WAIT);
        assertThat(shown).as("the ask is still open").contains("Permission: edit").contains("1. Yes, once");
        assertThat(bed.llm.requests()).hasSize(1);
    }

    @Test
    void escapeInterruptsTheTurn() throws Exception {
        start("{\"*\": \"allow\"}");
        bed.llm.enqueue(slowText("A long story. ", 200));

        bed.tmux.type("tell me a long story").sendKeys("Enter");
        bed.tmux.awaitText("esc to interrupt", WAIT);
        bed.tmux.awaitText("A long story.", WAIT);
        bed.tmux.sendKeys("Escape");
        String after = bed.tmux.awaitText("⎋ Interrupted", WAIT);
        assertThat(after).as("the story was cut short").doesNotContain("The end.");

        JsonNode session = awaitStatus("idle", Duration.ofSeconds(10));
        assertThat(session.get("status").asString()).isEqualTo("idle");
        try (var api = HttpLatheClient.connect(bed.lathe.server().orElseThrow(), Optional.of(bed.ws.path().toString()))) {
            var last = (AssistantMessage) api.messages(new SessionId(session.get("id").asString())).getLast().info();
            assertThat(last.error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("aborted"));
        }
        bed.tmux.await("the status line gone", s -> !s.contains("esc to interrupt"), WAIT);
        assertThat(bed.tmux.exited()).as("Esc only interrupts").isFalse();
    }

    @Test
    void aMessageTypedDuringATurnSteersTabQueuesOneAndBothReachTheModel() throws Exception {
        start("{\"*\": \"allow\"}");
        bed.llm.enqueue(slowText("First answer. ", 80));
        bed.llm.enqueue(Turn.of(Step.text("Second answer.")));
        bed.llm.enqueue(Turn.of(Step.text("Third answer.")));

        bed.tmux.type("first question").sendKeys("Enter");
        bed.tmux.awaitText("Working…", WAIT);
        bed.tmux.awaitText("Enter steers the agent", WAIT);
        bed.tmux.awaitText("First answer.", WAIT);
        bed.tmux.type("second question").sendKeys("Enter");
        String steered = bed.tmux.awaitText("(steering)", WAIT);
        assertThat(steered).containsPattern("› second question\\s+\\(steering\\)");
        assertThat(steered).as("the first answer is still streaming").doesNotContain("The end.");
        // Tab queues instead: the message waits for a turn of its own
        bed.tmux.type("third question").sendKeys("Tab");
        String queued = bed.tmux.awaitText("(queued)", WAIT);
        assertThat(queued).containsPattern("› third question\\s+\\(queued\\)");

        String done = bed.tmux.awaitText("Third answer.", WAIT);
        bed.tmux.await("the turn's end", s -> !s.contains("Working…"), WAIT);
        done = bed.tmux.capture();
        // in the order the model saw them: the first answer, the steered message (the turn had no step left, so it
        // became the next turn) and its answer, then the queued one and its answer
        assertThat(done).containsSubsequence("› first question", "The end.", "› second question", "Second answer.", "› third question", "Third answer.");
        List<RecordedRequest> requests = bed.llm.requests();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).lastUserText()).contains("first question").doesNotContain("second question");
        assertThat(requests.get(1).lastUserText()).contains("second question").doesNotContain("third question");
        assertThat(requests.get(1).body()).as("the second request carries the whole first answer").contains("The end.");
        assertThat(requests.get(2).lastUserText()).contains("third question");
    }

    /** Esc with a message queued: the turn stops, and the queued message comes back into the input, not to the model. */
    @Test
    void aMessageQueuedIntoATurnStoppedWithEscapeComesBackToTheInput() throws Exception {
        start("{\"*\": \"allow\"}");
        bed.llm.enqueue(slowText("Still thinking about it. ", 60));

        bed.tmux.type("first question").sendKeys("Enter");
        bed.tmux.awaitText("Still thinking", WAIT);
        bed.tmux.type("second question").sendKeys("Enter");
        bed.tmux.awaitText("(steering)", WAIT);
        bed.tmux.sendKeys("Escape");

        String back = bed.tmux.awaitText("your queued message is back in the input", WAIT);
        bed.tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);
        assertThat(bed.tmux.capture()).containsPattern("› second question\\s*\\n");
        assertThat(back).contains("⎋ Interrupted");
        assertThat(bed.llm.requests()).hasSize(1);
        assertThat(bed.llm.requests().getFirst().lastUserText()).doesNotContain("second question");
    }

    /**
     * The same, with the second message sent before the first answer has any part: the model sees the first answer
     * before the second message, so the transcript should too.
     */
    @Test
    void aMessageQueuedBeforeTheAnswerStartsIsShownAfterIt() throws Exception {
        start("{\"*\": \"allow\"}");
        // 8 events 1 s apart: the answer's text block opens at about 2 s
        bed.llm.enqueue(Turn.of(Step.text("First answer. The end.")).delayBetweenEvents(Duration.ofSeconds(1)));
        bed.llm.enqueue(Turn.of(Step.text("Second answer.")));

        bed.tmux.type("first question").sendKeys("Enter");
        bed.tmux.awaitText("Enter steers the agent", WAIT);
        // busy shows before the first request is built: a message stored before then is part of that request (one
        // turn answers both), so this one is sent once the model has the first, while its answer has not started
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (bed.llm.requests().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(bed.llm.requests()).as("the first question reached the model").hasSize(1);
        bed.tmux.type("second question").sendKeys("Enter");
        bed.tmux.awaitText("(steering)", WAIT);
        assertThat(bed.tmux.capture()).as("sent before the answer started").doesNotContain("First answer.");

        bed.tmux.awaitText("Second answer.", WAIT);
        bed.tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);
        String done = bed.tmux.capture();
        assertThat(bed.llm.requests().get(1).lastUserText()).contains("second question");
        assertThat(done).containsSubsequence("› first question", "The end.", "› second question", "Second answer.");
    }

    @Test
    void closingTheTerminalMidTurnLeavesTheTurnRunningInTheDaemon() throws Exception {
        start("{\"*\": \"allow\"}");
        Turn slow = slowText("Written without a client. ", 60);
        String full = ((Step.Text) slow.steps().getFirst()).text();
        bed.llm.enqueue(slow);

        bed.tmux.type("write something long").sendKeys("Enter");
        bed.tmux.awaitText("Working…", WAIT);
        bed.tmux.awaitText("Written without a client.", WAIT);
        ProcessHandle client = bed.tmux.process();
        assertThat(client.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("java"));
        bed.tmux.kill();

        assertThat(client.onExit().completeOnTimeout(null, 15, java.util.concurrent.TimeUnit.SECONDS).join())
                .as("the client exits with its terminal").isNotNull();
        assertThat(bed.llm.requests()).hasSize(1);
        assertThat(bed.llm.pending()).isZero();
        JsonNode session = awaitStatus("idle", Duration.ofSeconds(30));
        try (var api = HttpLatheClient.connect(bed.lathe.server().orElseThrow(), Optional.of(bed.ws.path().toString()))) {
            MessageWithParts last = api.messages(new SessionId(session.get("id").asString())).getLast();
            var info = (AssistantMessage) last.info();
            assertThat(info.error()).as("finished, not aborted").isEmpty();
            String text = last.parts().stream().filter(p -> p instanceof Part.Text t && !t.synthetic()).map(p -> ((Part.Text) p).text())
                    .collect(Collectors.joining());
            assertThat(text).isEqualTo(full);
        }
    }

    @Test
    void tabSwitchesToThePlanAgentAndSlashAgentSwitchesBack() throws Exception {
        start("{\"*\": \"allow\"}");
        bed.llm.enqueue(Turn.of(Step.text("Here is the plan.")));
        bed.llm.enqueue(Turn.of(Step.text("Built it.")));

        bed.tmux.sendKeys("Tab");
        bed.tmux.awaitText("plan · fake/fake-model", WAIT);
        bed.tmux.type("plan the change").sendKeys("Enter");
        bed.tmux.awaitText("Here is the plan.", WAIT);
        bed.tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);
        assertThat(bed.llm.requests().getFirst().system()).contains("You are Lathe in plan mode");
        assertThat(onlySession().get("agent").asString()).isEqualTo("plan");

        bed.tmux.type("/agent build").sendKeys("Enter");
        bed.tmux.awaitText(FOOTER, WAIT);
        bed.tmux.type("now build it").sendKeys("Enter");
        bed.tmux.awaitText("Built it.", WAIT);
        bed.tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);
        assertThat(bed.llm.requests()).hasSize(2);
        assertThat(bed.llm.requests().get(1).system()).doesNotContain("plan mode");
        assertThat(onlySession().get("agent").asString()).isEqualTo("build");
    }

    @Test
    void contextAndCacheShowTheServersReports() throws Exception {
        start("{\"*\": \"allow\"}");
        bed.llm.enqueue(Turn.of(Step.text("Reading."), Step.toolCall("c1", "read", "{\"path\":\"notes.txt\"}")).finish("tool_calls")
                .usage(1_000, 20, 0, 3_000));
        bed.llm.enqueue(Turn.of(Step.text("It lists three words.")).usage(30, 10, 3_000, 40));
        bed.tmux.type("what is in notes.txt?").sendKeys("Enter");
        bed.tmux.awaitText("It lists three words.", WAIT);
        bed.tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);

        bed.tmux.type("/cache").sendKeys("Enter");
        String cache = bed.tmux.awaitText("of prompt tokens read from the cache over 2 requests", WAIT);
        // 3,000 of 4,000 prompt tokens, then 3,000 of 3,070
        assertThat(cache).contains("the prefix never broke").containsPattern("(?m)^\\s+1\\s+fake-model\\s+4k\\s+0%\\s+first")
                .containsPattern("(?m)^\\s+2\\s+fake-model\\s+3\\.1k\\s+98%\\s+kept");

        bed.tmux.type("/context").sendKeys("Enter");
        String context = bed.tmux.awaitText("tool outputs", WAIT);
        assertThat(context).contains("fake/fake-model · window 100k").contains("instructions").contains("next request")
                .containsPattern("last request\\s+3\\.1k\\s+reported by the provider").contains("input 30 · cache read 3k · cache write 40")
                .contains("█");
    }

    @Test
    void narrowingTheTerminalRedrawsTheEditorAndFooterOnce() throws Exception {
        start("{\"*\": \"allow\"}");
        bed.llm.enqueue(Turn.of(Step.text("Hello from the fake model.")));
        bed.tmux.type("hello").sendKeys("Enter");
        bed.tmux.awaitText("Hello from the fake model.", WAIT);
        bed.tmux.await("the idle screen", s -> !s.contains("Working…"), WAIT);

        bed.tmux.resize(50, HEIGHT);
        String border = "─".repeat(50);
        awaitScreen("a 50-column border", rows -> rows.stream().anyMatch(r -> r.strip().equals(border)));
        Thread.sleep(300); // let a second, wrong redraw show if there is one
        List<String> rows = visible();
        String screen = String.join("\n", rows);
        assertThat(rows.stream().filter(r -> r.contains(FOOTER)).count()).as("one footer:\n" + screen).isEqualTo(1);
        assertThat(rows.stream().filter(r -> r.contains("Ask anything")).count()).as("one editor:\n" + screen).isEqualTo(1);
        assertThat(rows.stream().filter(r -> r.matches("─+")).count()).as("one border:\n" + screen).isEqualTo(1);
        assertThat(rows.getLast()).as("the footer is the last row:\n" + screen).contains(FOOTER);
        assertThat(screen).contains("Hello from the fake model.");

        // and the UI still works at the new width
        bed.llm.enqueue(Turn.of(Step.text("Still here.")));
        bed.tmux.type("again").sendKeys("Enter");
        bed.tmux.awaitText("Still here.", WAIT);
        bed.tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);

        // Ctrl-D on the empty editor leaves
        bed.tmux.sendKeys("C-d");
        assertThat(bed.tmux.awaitExit(WAIT)).isZero();
        assertThat(lastNonBlank(bed.tmux.capture())).startsWith("Resume with: lathe attach --session ses_");
    }

    // ---- helpers

    /** The workspace's lathe with {@code permission}, and the UI open on it, drawn and waiting for input. */
    private void start(String permission) throws Exception {
        String first = start(permission, "Ask anything");
        assertThat(first).contains("› ").contains(FOOTER);
    }

    /**
     * Starts the terminal UI on the daemon of the tests configuring {@code permission} (the first of them starts it)
     * and returns the first screen showing {@code text}.
     */
    private String start(String permission, String text) throws Exception {
        Lathe shared = SHARED.get(permission);
        if (shared == null) {
            Path sharedHome = Files.createDirectories(homes.resolve("home" + SHARED.size()));
            shared = new Lathe(sharedHome, config(permission));
            SHARED.put(permission, shared);
        }
        bed.useSharedDaemon(shared);
        return open(text);
    }

    /** {@link #start}, with a home and daemon of the test's own, stopped when it ends. */
    private String startAlone(String permission, String text) throws Exception {
        bed.lathe = new Lathe(home, config(permission));
        return open(text);
    }

    private String open(String text) throws Exception {
        bed.tmux = Tmux.start(bed.lathe.command(), bed.ws.path(), WIDTH, HEIGHT);
        return bed.tmux.awaitText(text, WAIT);
    }

    private static String config(String permission) {
        ObjectNode config = (ObjectNode) JSON.readTree(Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-tui"));
        config.set("permission", JSON.readTree(permission));
        return JSON.writeValueAsString(config);
    }

    /** A text answer streamed in many small pieces, 50 ms apart, ending with "The end." */
    private static Turn slowText(String sentence, int times) {
        return Turn.of(Step.text(sentence.repeat(times) + "The end.")).delayBetweenEvents(Duration.ofMillis(50));
    }

    private List<String> visible() {
        List<String> rows = bed.tmux.screen();
        int end = rows.size();
        while (end > 0 && rows.get(end - 1).isBlank()) end--;
        return rows.subList(0, end);
    }

    private void awaitScreen(String what, java.util.function.Predicate<List<String>> done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> rows = visible();
        while (!done.test(rows)) {
            if (System.nanoTime() > deadline) throw new AssertionError("never saw " + what + "; screen:\n" + String.join("\n", rows));
            Thread.sleep(100);
            rows = visible();
        }
    }

    private JsonNode onlySession() throws Exception {
        var r = bed.lathe.run("sessions", "--dir", bed.ws.path().toString(), "--format", "json");
        assertThat(r.exit()).as(r.stderr()).isZero();
        JsonNode list = JSON.readTree(r.stdout());
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    /**
     * The folder's one session once it is {@code status}, as {@code lathe sessions} prints it. Polled over the
     * daemon's API, as the UI itself watches it: a {@code lathe sessions} process every 200 ms cost a JVM start each.
     */
    private JsonNode awaitStatus(String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String dir = bed.ws.path().toString();
        try (var api = HttpLatheClient.connect(bed.lathe.server().orElseThrow(), Optional.of(dir))) {
            var id = api.sessions(dir).getFirst().id();
            String now = SessionStatus.typeOf(api.status(id));
            while (!now.equals(status)) {
                if (System.nanoTime() > deadline) throw new AssertionError("the session never became " + status + ": " + now);
                Thread.sleep(200);
                now = SessionStatus.typeOf(api.status(id));
            }
        }
        JsonNode session = onlySession();
        assertThat(session.get("status").asString()).as("lathe sessions' status").isEqualTo(status);
        return session;
    }

    /** The errors of the failed tool calls of the folder's one session, oldest first. */
    private List<String> failedTools() throws Exception {
        try (var api = HttpLatheClient.connect(bed.lathe.server().orElseThrow(), Optional.of(bed.ws.path().toString()))) {
            return api.messages(new SessionId(onlySession().get("id").asString())).stream().flatMap(m -> m.parts().stream())
                    .filter(p -> p instanceof Part.Tool t && t.state() instanceof ToolState.Failed)
                    .map(p -> ((ToolState.Failed) ((Part.Tool) p).state()).error()).toList();
        }
    }

    /** The screen as plain text and with colours, for the docs (docs/tui.md). */
    private void writeCaptures() throws Exception {
        Path target = Path.of("target");
        Files.createDirectories(target);
        // the UI clears with spaces, which the capture keeps: trailing ones are noise in a docs page
        String plain = bed.tmux.capture().lines().map(String::stripTrailing).collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(target.resolve("tui-capture.txt"), plain, StandardCharsets.UTF_8);
        Files.writeString(target.resolve("tui-capture.ansi"), bed.tmux.captureAnsi(), StandardCharsets.UTF_8);
    }

    private static String lastNonBlank(String capture) {
        // tmux itself writes "Pane is dead (status …)" under a pane whose command exited
        return capture.lines().filter(l -> !l.isBlank() && !l.startsWith("Pane is dead")).reduce((a, b) -> b).orElse("").strip();
    }
}
