package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 67 (DESIGN §27), end to end with the packaged Lathe and the fake model: a Claude Code project's
 * {@code defaultMode: acceptEdits} edits without an ask once the folder is trusted and asks before (with the skipped
 * value named on stderr), its {@code additionalDirectories} are read without an ask once trusted; in the terminal UI
 * (tmux) {@code !echo …} shows the command's output and the next request carries it, {@code /help} opens in the pager and names the prefixes,
 * and the project's {@code statusLine} script's output is the screen's last line, without its colours.
 */
class PeerProjectsIT {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path home;
    TuiBed bed;

    @BeforeEach
    void setUp() {
        bed = TuiBed.start("alpha\n");
        bed.lathe = new Lathe(home, Lathe.providerConfig("anthropic-messages", bed.llm.baseUrl(), "sk-peer"));
    }

    @AfterEach
    void tearDown() {
        if (bed != null) bed.close();
    }

    private void write(String name, String text) throws Exception {
        Path file = bed.ws.path().resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private Lathe.Result run(String... message) throws Exception {
        var args = new java.util.ArrayList<>(List.of("run", "--dir", bed.ws.path().toString()));
        args.addAll(List.of(message));
        return bed.lathe.run(args.toArray(String[]::new));
    }

    @Test
    void acceptEditsEditsWithoutAnAskOnlyOnceTheFolderIsTrusted() throws Exception {
        write(".claude/settings.json", "{\n  \"permissions\": {\n    \"defaultMode\": \"acceptEdits\"\n  }\n}\n");
        bed.llm.enqueue(Turn.of(Step.toolCall("c1", "write", "{\"path\":\"made.txt\",\"content\":\"made\\n\"}")));
        var untrusted = run("write made.txt");
        assertThat(untrusted.exit()).as("the edit asked, and lathe run answered no: " + untrusted.stderr()).isEqualTo(3);
        assertThat(untrusted.stderr()).contains("lathe: untrusted folder: skipped defaultMode acceptEdits from .claude/settings.json"
                + " (run lathe trust to allow it)");
        assertThat(bed.ws.path().resolve("made.txt")).as("the edit asked, and lathe run answers an ask no").doesNotExist();

        assertThat(bed.lathe.run("trust", "--dir", bed.ws.path().toString()).exit()).isZero();
        bed.llm.enqueue(Turn.of(Step.toolCall("c2", "write", "{\"path\":\"made.txt\",\"content\":\"made\\n\"}")));
        bed.llm.enqueue(Turn.of(Step.text("Wrote made.txt.")));
        var trusted = run("write made.txt");
        assertThat(trusted.exit()).as(trusted.stderr()).isZero();
        assertThat(bed.ws.path().resolve("made.txt")).hasContent("made");
        assertThat(trusted.stderr()).doesNotContain("acceptEdits");
    }

    @Test
    void additionalDirectoriesAreReadWithoutAnAskOnceTrustedAndBypassIsNamedNotTaken() throws Exception {
        Path shared = Files.createDirectories(home.resolve("shared"));
        Files.writeString(shared.resolve("notes.txt"), "SHARED-NOTES-4d2a\n");
        write(".claude/settings.json", "{\"permissions\": {\"additionalDirectories\": [\"" + shared + "\"]}}");
        write(".claude/settings.local.json", "{\"permissions\": {\"defaultMode\": \"bypassPermissions\"}}");
        assertThat(bed.lathe.run("trust", "--dir", bed.ws.path().toString()).exit()).isZero();
        bed.llm.enqueue(Turn.of(Step.toolCall("c1", "read", "{\"path\":\"" + shared.resolve("notes.txt") + "\"}")));
        bed.llm.enqueue(Turn.of(Step.text("Read it.")));
        var r = run("read the shared notes");

        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(bed.llm.requests().get(1).toolResult("c1")).hasValueSatisfying(t -> assertThat(t).contains("SHARED-NOTES-4d2a"));
        assertThat(r.stderr()).contains("lathe: not applied: defaultMode bypassPermissions from .claude/settings.local.json"
                + " (never taken from a project's file");
    }

    @Test
    void theTerminalUiNamesSkippedModesUntrustedAndBypassTrusted() throws Exception {
        write(".claude/settings.json", "{\"permissions\": {\"defaultMode\": \"acceptEdits\"}}");
        write(".claude/settings.local.json", "{\"permissions\": {\"defaultMode\": \"bypassPermissions\"}}");
        bed.tmux = Tmux.start(bed.lathe.command(), bed.ws.path(), 160, 30);
        String untrusted = bed.tmux.awaitText("skipped defaultMode acceptEdits from .claude/settings.json", WAIT);
        assertThat(untrusted).contains("This folder is not trusted").contains("defaultMode bypassPermissions");
        bed.tmux.close();
        bed.lathe.stopDaemon(); // the next UI reads the folder's trust afresh

        assertThat(bed.lathe.run("trust", "--dir", bed.ws.path().toString()).exit()).isZero();
        bed.tmux = Tmux.start(bed.lathe.command(), bed.ws.path(), 160, 30);
        String trusted = bed.tmux.awaitText("not applied: defaultMode bypassPermissions from .claude/settings.local.json", WAIT);
        assertThat(trusted).doesNotContain("skipped defaultMode acceptEdits");
    }

    @Test
    void bangRunsTheUsersCommandHelpNamesThePrefixesAndTheStatusLineIsTheLastLine() throws Exception {
        // as Claude Code's documentation writes a status line script: the JSON on stdin, one line out, in colour
        write("status.sh", """
                #!/bin/sh
                input=$(cat)
                model=$(printf '%s' "$input" | sed -n 's/.*"model":{"id":"\\([^"]*\\)".*/\\1/p')
                printf '\\033[32mSTATUS %s\\033[0m\\n' "$model"
                """);
        Files.setPosixFilePermissions(bed.ws.path().resolve("status.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        write(".claude/settings.json", "{\"statusLine\": {\"type\": \"command\", \"command\": \"./status.sh\"}}");
        assertThat(bed.lathe.run("trust", "--dir", bed.ws.path().toString()).exit()).isZero();
        bed.tmux = Tmux.start(bed.lathe.command(), bed.ws.path(), 100, 30);
        bed.tmux.awaitText("Ask anything", WAIT);

        // the line is marked as the shell's before Enter, and the marker goes with the text
        bed.tmux.type("!echo BANG-OUT-$((6*7))");
        bed.tmux.awaitText("shell › !echo BANG-OUT-$((6*7))", WAIT);
        bed.tmux.sendKeys("Enter");
        bed.tmux.awaitText("BANG-OUT-42", WAIT);
        // the user's own command reads as theirs, not as the agent's bash call (issue 82)
        // the output can show while the command's line still spins: its mark comes when it has ended
        assertThat(bed.tmux.awaitText("✓ you ran echo BANG-OUT-$((6*7))", WAIT)).doesNotContain("✓ bash echo BANG-OUT");
        String status = bed.tmux.await("the status line", s -> lastLine(s).contains("STATUS fake/fake-model"), WAIT);
        assertThat(lastLine(status)).isEqualTo("STATUS fake/fake-model");
        assertThat(bed.tmux.captureAnsi()).doesNotContain("\u001b[32mSTATUS");
        assertThat(bed.llm.requests()).as("the command is the user's, not a prompt").isEmpty();

        bed.llm.enqueue(Turn.of(Step.text("It printed forty-two.")));
        bed.tmux.type("what did it print?").sendKeys("Enter");
        bed.tmux.awaitText("It printed forty-two.", WAIT);
        assertThat(bed.llm.requests()).singleElement().satisfies(r -> assertThat(r.body()).contains("BANG-OUT-42").contains("echo BANG-OUT-$((6*7))"));

        // /help opens in the pager over the conversation, not as 75 lines pushed into the scrollback; q closes it
        bed.tmux.type("/help").sendKeys("Enter");
        bed.tmux.awaitText("!COMMAND", WAIT);
        assertThat(bed.tmux.capture()).contains("@PATH").contains("/NAME").contains("help q or esc to close");
        bed.tmux.sendKeys("q");
        String back = bed.tmux.await("the conversation again", s -> s.contains("It printed forty-two.") && !s.contains("!COMMAND"), WAIT);
        assertThat(back).doesNotContain("help q or esc to close");
    }

    /** The screen's last line that holds anything. */
    private static String lastLine(String screen) {
        List<String> lines = screen.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "" : lines.getLast();
    }
}
