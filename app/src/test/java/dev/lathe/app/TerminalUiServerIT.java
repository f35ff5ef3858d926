package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The terminal UI and its server, end to end in tmux: the UI notices the daemon has gone, keeps what is typed,
 * starts the daemon again and reattaches; and the transcript view (Ctrl-O) shows the whole session.
 * The tests that do not stop the daemon share one (its home and the fake model), each in its own project folder and
 * session: a daemon's start and stop cost more CPU than most of these tests (issue 55).
 */
class TerminalUiServerIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration WAIT = Duration.ofSeconds(30);

    private static FakeLlm llm;
    /** The daemon the tests share that leave it running (the first of them starts it). */
    private static Lathe shared;
    @TempDir static Path sharedHome;

    @TempDir Path home;
    TuiBed bed;

    @BeforeAll
    static void startTheFakeModel() {
        llm = FakeLlm.start();
        shared = new Lathe(sharedHome, config());
    }

    @AfterAll
    static void stopTheSharedDaemon() {
        try {
            shared.stopDaemon();
        } finally {
            llm.close();
        }
    }

    @BeforeEach
    void setUp() {
        bed = TuiBed.sharing(llm, "alpha\n");
    }

    private static String config() {
        return Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-tui").replaceFirst("\\{", "{\"permission\": {\"*\": \"allow\", \"bash\": \"allow\", \"edit\": \"allow\"}, ");
    }

    /** The UI open on the shared daemon, drawn and waiting for input. */
    private void openShared() throws Exception {
        bed.useSharedDaemon(shared);
        open();
    }

    /** The UI open on a daemon of this test's own home, for a test that stops it; stopped when the test ends. */
    private void openAlone() throws Exception {
        bed.lathe = new Lathe(home, config());
        open();
    }

    private void open() throws Exception {
        bed.tmux = Tmux.start(bed.lathe.command(), bed.ws.path(), 100, 30);
        bed.tmux.awaitText("Ask anything", WAIT);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (bed == null) return;
        // a test may have left the daemon's state folder read-only: writable again, so the daemon can be stopped
        Path state = bed.lathe == null ? null : bed.lathe.serverJson().getParent();
        if (state != null && Files.exists(state)) Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        bed.close();
    }

    @Test
    void theDaemonStoppedWhileTheUiIsOpenIsStartedAgainAndTheSessionGoesOn() throws Exception {
        openAlone();
        bed.llm.enqueue(Turn.of(Step.text("First answer.")));
        bed.tmux.type("first question").sendKeys("Enter");
        bed.tmux.awaitText("First answer.", WAIT);
        bed.tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);
        long firstPid = bed.lathe.server().orElseThrow().pid();
        String sessionId = onlySession().get("id").asString();

        // the daemon dies (not `lathe stop`: that is the user's word, below), and cannot come back for now: its state
        // folder is read-only
        Path state = bed.lathe.serverJson().getParent();
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("r-x------"));
        ProcessHandle daemon = ProcessHandle.of(firstPid).orElseThrow();
        daemon.destroyForcibly();
        daemon.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        bed.tmux.awaitText("Disconnected from the server", WAIT);

        // a message typed meanwhile is not sent and not lost
        bed.tmux.type("second question").sendKeys("Enter");
        String kept = bed.tmux.awaitText("not connected: your message stays here", WAIT);
        assertThat(kept).contains("› second question").contains("Disconnected from the server");
        assertThat(bed.llm.requests()).hasSize(1);

        // the daemon can start again: the UI starts it and reattaches, the message still in the editor
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        String back = bed.tmux.awaitText("Reconnected to the server", WAIT);
        assertThat(back).contains("› second question").doesNotContain("Disconnected from the server");
        assertThat(bed.lathe.server().orElseThrow().pid()).as("a new daemon").isNotEqualTo(firstPid);

        bed.llm.enqueue(Turn.of(Step.text("Second answer.")));
        bed.tmux.sendKeys("Enter");
        bed.tmux.awaitText("Second answer.", WAIT);
        bed.tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);
        assertThat(onlySession().get("id").asString()).as("the same session went on").isEqualTo(sessionId);
        assertThat(bed.llm.requests()).hasSize(2);
        assertThat(bed.llm.requests().get(1).body()).as("with its history").contains("first question").contains("First answer.");

        // idle: the farewell does not claim a running turn
        bed.tmux.sendKeys("C-d");
        String farewell = bed.tmux.awaitText(Pattern.compile("Resume with: lathe attach --session ses_\\w+"), WAIT);
        assertThat(farewell).doesNotContain("The turn goes on").contains("Resume with: lathe attach --session " + sessionId);
    }

    /**
     * {@code lathe stop} with the UI open is the user's word (issue 42): the UI says the server was stopped and does not
     * start it again behind their back; Enter starts it and the session goes on; Ctrl+D leaves cleanly.
     */
    @Test
    void lathesStopWithTheUiOpenIsSaidAndNotUndoneUntilTheUserStartsItAgain() throws Exception {
        openAlone();
        bed.llm.enqueue(Turn.of(Step.text("First answer.")));
        bed.tmux.type("first question").sendKeys("Enter");
        bed.tmux.awaitText("First answer.", WAIT);
        bed.tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);
        long firstPid = bed.lathe.server().orElseThrow().pid();
        String sessionId = onlySession().get("id").asString();

        assertThat(bed.lathe.run("stop").exit()).isZero();
        String stopped = bed.tmux.awaitText("The server was stopped (lathe stop)", WAIT);
        assertThat(stopped).contains("Press Enter to start it again, or Ctrl+D to exit")
                .contains("enter starts it again · ctrl+d exits");
        // well past the UI's reconnect interval: still stopped, no daemon started behind the user's back
        Thread.sleep(3 * ServerWatchInterval.MILLIS);
        assertThat(bed.lathe.server()).as("no server started again").isEmpty();
        assertThat(bed.tmux.capture()).contains("enter starts it again");

        // Enter starts it; the session goes on
        bed.tmux.sendKeys("Enter");
        bed.tmux.awaitText("Reconnected to the server", WAIT);
        assertThat(bed.lathe.server().orElseThrow().pid()).as("a new daemon").isNotEqualTo(firstPid);
        bed.llm.enqueue(Turn.of(Step.text("Second answer.")));
        bed.tmux.type("second question").sendKeys("Enter");
        bed.tmux.awaitText("Second answer.", WAIT);
        bed.tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);
        assertThat(onlySession().get("id").asString()).isEqualTo(sessionId);

        // stopped again, then left: a clean farewell, no server started by leaving
        assertThat(bed.lathe.run("stop").exit()).isZero();
        bed.tmux.awaitText("enter starts it again", WAIT);
        bed.tmux.sendKeys("C-d");
        String farewell = bed.tmux.awaitText(Pattern.compile("Resume with: lathe attach --session ses_\\w+"), WAIT);
        assertThat(farewell).contains("The server was stopped (lathe stop); the session is saved.");
        assertThat(bed.lathe.server()).isEmpty();
    }

    /** The UI's reconnect interval (ServerWatch.RETRY_MILLIS, package-private in the tui module). */
    private static final class ServerWatchInterval {
        static final long MILLIS = 2000;
    }

    @Test
    void ctrlOOpensTheWholeSessionWithFullToolOutputAndReasoning() throws Exception {
        openShared();
        bed.llm.enqueue(Turn.of(Step.reasoning("I should count to sixty."), Step.toolCall("c1", "bash", "{\"command\":\"seq 1 60\",\"description\":\"count\"}")));
        bed.llm.enqueue(Turn.of(Step.text("Counted to sixty.")));
        bed.tmux.type("count to sixty").sendKeys("Enter");
        bed.tmux.awaitText("Counted to sixty.", WAIT);
        String inline = bed.tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);
        assertThat(inline).contains("✓ bash seq 1 60").contains("(ctrl+o for details)").doesNotContain("\n  57\n");

        bed.tmux.sendKeys("C-o");
        String end = bed.tmux.awaitText("q or esc to close", WAIT);
        assertThat(end).as("opens at the end").contains("Counted to sixty.").containsPattern("(?m)^\\s+60\\s*$")
                .doesNotContain("Ask anything");
        bed.tmux.sendKeys("g");
        String start = bed.tmux.await("the top of the transcript", s -> s.contains("› count to sixty"), WAIT);
        assertThat(start).contains("I should count to sixty.").containsPattern("(?m)^\\s+1\\s*$").doesNotContain("Counted to sixty.");
        bed.tmux.sendKeys("PageDown");
        bed.tmux.await("the middle of the output", s -> Pattern.compile("(?m)^\\s+30\\s*$").matcher(s).find(), WAIT);

        bed.tmux.sendKeys("q");
        String back = bed.tmux.await("the inline UI again", s -> s.contains("Ask anything") && !s.contains("q or esc to close"), WAIT);
        assertThat(back).contains("Counted to sixty.");
        assertThat(bed.tmux.exited()).isFalse();
    }

    @Test
    void aBigSessionOpensAtItsLastMessageAndTheTranscriptViewLoadsEarlierPagesAsItScrollsUp() throws Exception {
        openShared();
        Path export = home.resolve("big.json");
        Files.writeString(export, dev.lathe.protocol.wire.WireJson.write(BigSession.export(bed.ws.path(), "A day of work", 1250)));
        var imported = bed.lathe.run("import", export.toString());
        assertThat(imported.exit()).as(imported.stderr()).isZero();
        String id = imported.stdout().strip();
        bed.tmux.close();
        bed.tmux = Tmux.start(bed.lathe.command("attach", "--session", id), bed.ws.path(), 100, 30);

        String opened = bed.tmux.awaitText("answer 1249", WAIT);
        // the newest page only: the inline transcript says older messages exist instead of counting them
        assertThat(opened).contains("↑ earlier messages").contains("prompt 1230").doesNotContain("prompt 1229\n");

        // the transcript view opens with its newest 100 messages and fetches the 100 before them on the way up
        bed.tmux.sendKeys("C-o");
        bed.tmux.awaitText("q or esc to close", WAIT);
        assertThat(String.join("\n", bed.tmux.screen())).contains("answer 1249");
        // a page up at a time, each once the one before is drawn (its status row names other lines), so none is skipped
        for (int i = 0; i < 60 && !String.join("\n", bed.tmux.screen()).contains("answer 1199"); i++) {
            String status = bed.tmux.screen().stream().filter(r -> r.contains("q or esc to close")).findFirst().orElse("");
            bed.tmux.sendKeys("PageUp");
            bed.tmux.await("the pager scrolled", s -> s.contains("q or esc to close") && !s.contains(status.strip()), WAIT);
        }
        assertThat(String.join("\n", bed.tmux.screen())).as("the page before the first one loaded").contains("answer 1199");
        bed.tmux.sendKeys("g");
        bed.tmux.await("the session's first prompt", s -> s.contains("prompt 0\n") || s.endsWith("prompt 0"), WAIT);
        bed.tmux.sendKeys("q");
        bed.tmux.await("the inline UI again", s -> s.contains("Ask anything") && !s.contains("q or esc to close"), WAIT);
    }

    @Test
    void undoNamesTheUndonePromptAndGivesItBackAndExportWritesMarkdownOutsideTheProject() throws Exception {
        openShared();
        renameAlphaToOmega();
        assertThat(bed.ws.read("notes.txt")).isEqualTo("omega\n");

        bed.tmux.type("/export");
        bed.tmux.awaitText("Save this session as Markdown", WAIT);
        bed.tmux.sendKeys("Enter");
        String exported = bed.tmux.awaitText("Exported to ", WAIT);
        Path file = bed.lathe.home().resolve("state/lathe/exports").resolve("lathe-" + onlySession().get("id").asString() + ".md");
        assertThat(exported.replace("\n", "")).contains(file.toString());
        assertThat(Files.readString(file)).contains("## You\n\nrename alpha to omega").contains("Renamed alpha.");
        try (var files = Files.list(bed.ws.path())) {
            assertThat(files.map(p -> p.getFileName().toString())).as("nothing written into the work tree").noneMatch(n -> n.startsWith("lathe-"));
        }

        bed.tmux.type("/undo");
        bed.tmux.awaitText("Revert the last turn", WAIT);
        bed.tmux.sendKeys("Enter");
        String undone = bed.tmux.awaitText("↶ Undid “rename alpha to omega”", WAIT);
        assertThat(undone).contains("restored notes.txt").contains("the undone prompt is back in the input");
        assertThat(undone.lines().filter(l -> l.startsWith("› ")).reduce((a, b) -> b)).as("the editor").hasValue("› rename alpha to omega");
        assertThat(bed.ws.read("notes.txt")).isEqualTo("alpha\n");
    }

    @Test
    void rewindOverAFileTheUserEditedSinceKeepsTheirEditWhenEnterIsPressedThrough() throws Exception {
        openShared();
        renameAlphaToOmega();
        Files.writeString(bed.ws.path().resolve("notes.txt"), "omega, and my own line\n");

        bed.tmux.type("/rewind");
        bed.tmux.awaitText("Go back to before one of your prompts", WAIT);
        bed.tmux.sendKeys("Enter");
        bed.tmux.awaitText("Rewind to before…", WAIT);
        bed.tmux.sendKeys("Enter");
        bed.tmux.awaitText("Code and conversation", WAIT);
        bed.tmux.sendKeys("Enter");
        String asked = bed.tmux.awaitText("Files changed outside the agent", WAIT);
        // the first answer, which Enter takes, keeps the user's edit
        assertThat(asked.indexOf("Keep them as they are")).as(asked).isPositive().isLessThan(asked.indexOf("Restore them too"));
        bed.tmux.sendKeys("Enter");
        String rewound = bed.tmux.awaitText("kept notes.txt", WAIT);
        assertThat(rewound).contains("⏪ Rewound to before “rename alpha to omega”");
        assertThat(bed.ws.read("notes.txt")).isEqualTo("omega, and my own line\n");
    }

    /** Issue 71: bare {@code lathe} opens the session the UI last showed here, not a {@code lathe run} made since. */
    @Test
    void bareLatheReopensTheSessionTheUiShowedNotALaterHeadlessRun() throws Exception {
        openShared();
        bed.llm.enqueue(Turn.of(Step.text("Hello from the UI.")));
        sendAndAwait("hello there", "Hello from the UI.");
        String shown = onlySession().get("id").asString();
        bed.tmux.close();
        bed.tmux = null;

        bed.llm.enqueue(Turn.of(Step.text("Headless answer.")));
        String dir = bed.ws.path().toString();
        var run = bed.lathe.run("run", "--attach", bed.lathe.server().orElseThrow().url(), "--dir", dir, "a headless one");
        assertThat(run.exit()).as(run.stderr()).isZero();
        var listed = bed.lathe.run("sessions", "--dir", dir, "--format", "json");
        assertThat(JSON.readTree(listed.stdout())).hasSize(2);

        open();
        String screen = bed.tmux.awaitText("Hello from the UI.", WAIT);
        assertThat(screen.replace("\n", "")).contains(shown).doesNotContain("Headless answer.");
    }

    /** Issue 71: a session whose last turn failed says so when the UI opens it again, as it did live. */
    @Test
    void aFailedTurnIsShownAsFailedWhenTheSessionIsOpenedAgain() throws Exception {
        openShared();
        bed.llm.enqueue(Turn.httpError(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"BAD-REQUEST-MARK\"}}",
                java.util.Map.of()));
        String live = sendAndAwait("this one fails", "BAD-REQUEST-MARK");
        String line = live.lines().filter(l -> l.contains("BAD-REQUEST-MARK")).findFirst().orElseThrow().strip();
        assertThat(line).startsWith("✗ ");
        bed.tmux.close();
        bed.tmux = null;

        open();
        String reopened = bed.tmux.awaitText("this one fails", WAIT);
        bed.tmux.awaitText("BAD-REQUEST-MARK", WAIT);
        assertThat(bed.tmux.capture().lines().filter(l -> l.contains("BAD-REQUEST-MARK")).map(String::strip)).containsExactly(line);
        assertThat(reopened).contains("this one fails");
    }

    @Test
    void planModeIsMarkedInThePromptLine() throws Exception {
        openShared();
        bed.tmux.sendKeys("Tab");
        String plan = bed.tmux.awaitText("plan › Ask anything", WAIT);
        assertThat(plan).contains("plan · fake/fake-model");
        bed.tmux.sendKeys("Tab");
        bed.tmux.await("build again", s -> s.contains("\n› Ask anything") && !s.contains("plan ›"), WAIT);
    }

    /** The model renames alpha to omega in notes.txt (an edit, then its answer), asked to in the UI. */
    private void renameAlphaToOmega() {
        bed.llm.enqueue(Turn.of(Step.toolCall("c1", "edit", "{\"path\":\"notes.txt\",\"oldString\":\"alpha\",\"newString\":\"omega\"}")));
        bed.llm.enqueue(Turn.of(Step.text("Renamed alpha.")));
        sendAndAwait("rename alpha to omega", "Renamed alpha.");
    }

    /** Sends {@code prompt} from the UI and waits for {@code shown}, then for the idle screen; the screen that showed it. */
    private String sendAndAwait(String prompt, String shown) {
        bed.tmux.type(prompt).sendKeys("Enter");
        String screen = bed.tmux.awaitText(shown, WAIT);
        bed.tmux.await("the idle screen", s -> !s.contains("Working…") && s.contains("Ask anything"), WAIT);
        return screen;
    }

    private JsonNode onlySession() throws Exception {
        var r = bed.lathe.run("sessions", "--dir", bed.ws.path().toString(), "--format", "json");
        assertThat(r.exit()).as(r.stderr()).isZero();
        JsonNode list = JSON.readTree(r.stdout());
        assertThat(list).hasSize(1);
        return list.get(0);
    }
}
