package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The terminal UI and its server, end to end in tmux: the UI notices the daemon has gone, keeps what is typed,
 * starts the daemon again and reattaches; and the transcript view (Ctrl-O) shows the whole session.
 */
class TerminalUiServerIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path home;
    FakeLlm llm;
    TempWorkspace ws;
    Lathe lathe;
    Tmux tmux;

    @BeforeEach
    void setUp() throws Exception {
        llm = FakeLlm.start();
        ws = TempWorkspace.create().write("notes.txt", "alpha\n").initGitRepo();
        String config = Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-tui").replaceFirst("\\{", "{\"permission\": {\"*\": \"allow\", \"bash\": \"allow\", \"edit\": \"allow\"}, ");
        lathe = new Lathe(home, config);
        tmux = Tmux.start(lathe.command(), ws.path(), 100, 30);
        tmux.awaitText("Ask anything", WAIT);
    }

    @AfterEach
    void tearDown() throws Exception {
        Path state = lathe.serverJson().getParent();
        if (Files.exists(state)) Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        if (tmux != null) tmux.close();
        if (lathe != null) lathe.stopDaemon();
        ws.close();
        llm.close();
    }

    @Test
    void theDaemonStoppedWhileTheUiIsOpenIsStartedAgainAndTheSessionGoesOn() throws Exception {
        llm.enqueue(Turn.of(Step.text("First answer.")));
        tmux.type("first question").sendKeys("Enter");
        tmux.awaitText("First answer.", WAIT);
        tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);
        long firstPid = lathe.server().orElseThrow().pid();
        String sessionId = onlySession().get("id").asString();

        // the daemon dies (not `lathe stop`: that is the user's word, below), and cannot come back for now: its state
        // folder is read-only
        Path state = lathe.serverJson().getParent();
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("r-x------"));
        ProcessHandle daemon = ProcessHandle.of(firstPid).orElseThrow();
        daemon.destroyForcibly();
        daemon.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        tmux.awaitText("Disconnected from the server", WAIT);

        // a message typed meanwhile is not sent and not lost
        tmux.type("second question").sendKeys("Enter");
        String kept = tmux.awaitText("not connected: your message stays here", WAIT);
        assertThat(kept).contains("› second question").contains("Disconnected from the server");
        assertThat(llm.requests()).hasSize(1);

        // the daemon can start again: the UI starts it and reattaches, the message still in the editor
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        String back = tmux.awaitText("Reconnected to the server", WAIT);
        assertThat(back).contains("› second question").doesNotContain("Disconnected from the server");
        assertThat(lathe.server().orElseThrow().pid()).as("a new daemon").isNotEqualTo(firstPid);

        llm.enqueue(Turn.of(Step.text("Second answer.")));
        tmux.sendKeys("Enter");
        tmux.awaitText("Second answer.", WAIT);
        tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);
        assertThat(onlySession().get("id").asString()).as("the same session went on").isEqualTo(sessionId);
        assertThat(llm.requests()).hasSize(2);
        assertThat(llm.requests().get(1).body()).as("with its history").contains("first question").contains("First answer.");

        // idle: the farewell does not claim a running turn
        tmux.sendKeys("C-d");
        String farewell = tmux.awaitText(Pattern.compile("Resume with: lathe attach --session ses_\\w+"), WAIT);
        assertThat(farewell).doesNotContain("The turn goes on").contains("Resume with: lathe attach --session " + sessionId);
    }

    /**
     * {@code lathe stop} with the UI open is the user's word (issue 42): the UI says the server was stopped and does not
     * start it again behind their back; Enter starts it and the session goes on; Ctrl+D leaves cleanly.
     */
    @Test
    void lathesStopWithTheUiOpenIsSaidAndNotUndoneUntilTheUserStartsItAgain() throws Exception {
        llm.enqueue(Turn.of(Step.text("First answer.")));
        tmux.type("first question").sendKeys("Enter");
        tmux.awaitText("First answer.", WAIT);
        tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);
        long firstPid = lathe.server().orElseThrow().pid();
        String sessionId = onlySession().get("id").asString();

        assertThat(lathe.run("stop").exit()).isZero();
        String stopped = tmux.awaitText("The server was stopped (lathe stop)", WAIT);
        assertThat(stopped).contains("Press Enter to start it again, or Ctrl+D to exit")
                .contains("enter starts it again · ctrl+d exits");
        // well past the UI's reconnect interval: still stopped, no daemon started behind the user's back
        Thread.sleep(3 * ServerWatchInterval.MILLIS);
        assertThat(lathe.server()).as("no server started again").isEmpty();
        assertThat(tmux.capture()).contains("enter starts it again");

        // Enter starts it; the session goes on
        tmux.sendKeys("Enter");
        tmux.awaitText("Reconnected to the server", WAIT);
        assertThat(lathe.server().orElseThrow().pid()).as("a new daemon").isNotEqualTo(firstPid);
        llm.enqueue(Turn.of(Step.text("Second answer.")));
        tmux.type("second question").sendKeys("Enter");
        tmux.awaitText("Second answer.", WAIT);
        tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);
        assertThat(onlySession().get("id").asString()).isEqualTo(sessionId);

        // stopped again, then left: a clean farewell, no server started by leaving
        assertThat(lathe.run("stop").exit()).isZero();
        tmux.awaitText("enter starts it again", WAIT);
        tmux.sendKeys("C-d");
        String farewell = tmux.awaitText(Pattern.compile("Resume with: lathe attach --session ses_\\w+"), WAIT);
        assertThat(farewell).contains("The server was stopped (lathe stop); the session is saved.");
        assertThat(lathe.server()).isEmpty();
    }

    /** The UI's reconnect interval (ServerWatch.RETRY_MILLIS, package-private in the tui module). */
    private static final class ServerWatchInterval {
        static final long MILLIS = 2000;
    }

    @Test
    void ctrlOOpensTheWholeSessionWithFullToolOutputAndReasoning() throws Exception {
        llm.enqueue(Turn.of(Step.reasoning("I should count to sixty."), Step.toolCall("c1", "bash", "{\"command\":\"seq 1 60\",\"description\":\"count\"}")));
        llm.enqueue(Turn.of(Step.text("Counted to sixty.")));
        tmux.type("count to sixty").sendKeys("Enter");
        tmux.awaitText("Counted to sixty.", WAIT);
        String inline = tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);
        assertThat(inline).contains("✓ bash seq 1 60").contains("(ctrl+o for details)").doesNotContain("\n  57\n");

        tmux.sendKeys("C-o");
        String end = tmux.awaitText("q or esc to close", WAIT);
        assertThat(end).as("opens at the end").contains("Counted to sixty.").containsPattern("(?m)^\\s+60\\s*$")
                .doesNotContain("Ask anything");
        tmux.sendKeys("g");
        String start = tmux.await("the top of the transcript", s -> s.contains("› count to sixty"), WAIT);
        assertThat(start).contains("I should count to sixty.").containsPattern("(?m)^\\s+1\\s*$").doesNotContain("Counted to sixty.");
        tmux.sendKeys("PageDown");
        tmux.await("the middle of the output", s -> Pattern.compile("(?m)^\\s+30\\s*$").matcher(s).find(), WAIT);

        tmux.sendKeys("q");
        String back = tmux.await("the inline UI again", s -> s.contains("Ask anything") && !s.contains("q or esc to close"), WAIT);
        assertThat(back).contains("Counted to sixty.");
        assertThat(tmux.exited()).isFalse();
    }

    @Test
    void aBigSessionOpensAtItsLastMessageAndTheTranscriptViewLoadsEarlierPagesAsItScrollsUp() throws Exception {
        Path export = home.resolve("big.json");
        Files.writeString(export, dev.lathe.protocol.wire.WireJson.write(BigSession.export(ws.path(), "A day of work", 1250)));
        var imported = lathe.run("import", export.toString());
        assertThat(imported.exit()).as(imported.stderr()).isZero();
        String id = imported.stdout().strip();
        tmux.close();
        tmux = Tmux.start(lathe.command("attach", "--session", id), ws.path(), 100, 30);

        String opened = tmux.awaitText("answer 1249", WAIT);
        // the newest page only: the inline transcript says older messages exist instead of counting them
        assertThat(opened).contains("↑ earlier messages").contains("prompt 1230").doesNotContain("prompt 1229\n");

        // the transcript view opens with its newest 100 messages and fetches the 100 before them on the way up
        tmux.sendKeys("C-o");
        tmux.awaitText("q or esc to close", WAIT);
        assertThat(String.join("\n", tmux.screen())).contains("answer 1249");
        // a page up at a time, each once the one before is drawn (its status row names other lines), so none is skipped
        for (int i = 0; i < 60 && !String.join("\n", tmux.screen()).contains("answer 1199"); i++) {
            String status = tmux.screen().stream().filter(r -> r.contains("q or esc to close")).findFirst().orElse("");
            tmux.sendKeys("PageUp");
            tmux.await("the pager scrolled", s -> s.contains("q or esc to close") && !s.contains(status.strip()), WAIT);
        }
        assertThat(String.join("\n", tmux.screen())).as("the page before the first one loaded").contains("answer 1199");
        tmux.sendKeys("g");
        tmux.await("the session's first prompt", s -> s.contains("prompt 0\n") || s.endsWith("prompt 0"), WAIT);
        tmux.sendKeys("q");
        tmux.await("the inline UI again", s -> s.contains("Ask anything") && !s.contains("q or esc to close"), WAIT);
    }

    @Test
    void undoNamesTheUndonePromptAndGivesItBackAndExportWritesMarkdownOutsideTheProject() throws Exception {
        llm.enqueue(Turn.of(Step.toolCall("c1", "edit", "{\"path\":\"notes.txt\",\"oldString\":\"alpha\",\"newString\":\"omega\"}")));
        llm.enqueue(Turn.of(Step.text("Renamed alpha.")));
        tmux.type("rename alpha to omega").sendKeys("Enter");
        tmux.awaitText("Renamed alpha.", WAIT);
        tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);
        assertThat(ws.read("notes.txt")).isEqualTo("omega\n");

        tmux.type("/export");
        tmux.awaitText("Save this session as Markdown", WAIT);
        tmux.sendKeys("Enter");
        String exported = tmux.awaitText("Exported to ", WAIT);
        Path file = lathe.home().resolve("state/lathe/exports").resolve("lathe-" + onlySession().get("id").asString() + ".md");
        assertThat(exported.replace("\n", "")).contains(file.toString());
        assertThat(Files.readString(file)).contains("## You\n\nrename alpha to omega").contains("Renamed alpha.");
        try (var files = Files.list(ws.path())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("nothing written into the work tree").noneMatch(n -> n.startsWith("lathe-"));
        }

        tmux.type("/undo");
        tmux.awaitText("Revert the last turn", WAIT);
        tmux.sendKeys("Enter");
        String undone = tmux.awaitText("↶ Undid “rename alpha to omega”", WAIT);
        assertThat(undone).contains("restored notes.txt").contains("the undone prompt is back in the input");
        assertThat(undone.lines().filter(l -> l.startsWith("› ")).reduce((a, b) -> b)).as("the editor").hasValue("› rename alpha to omega");
        assertThat(ws.read("notes.txt")).isEqualTo("alpha\n");
    }

    @Test
    void planModeIsMarkedInThePromptLine() throws Exception {
        tmux.sendKeys("Tab");
        String plan = tmux.awaitText("plan › Ask anything", WAIT);
        assertThat(plan).contains("plan · fake/fake-model");
        tmux.sendKeys("Tab");
        tmux.await("build again", s -> s.contains("\n› Ask anything") && !s.contains("plan ›"), WAIT);
    }

    private JsonNode onlySession() throws Exception {
        var r = lathe.run("sessions", "--dir", ws.path().toString(), "--format", "json");
        assertThat(r.exit()).as(r.stderr()).isZero();
        JsonNode list = JSON.readTree(r.stdout());
        assertThat(list).hasSize(1);
        return list.get(0);
    }
}
