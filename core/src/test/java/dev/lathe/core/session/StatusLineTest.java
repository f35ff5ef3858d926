package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.trust.Withheld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 67 (DESIGN §27): Claude Code's {@code statusLine} command in a project's {@code .claude/settings.json} runs,
 * in a trusted folder only and only as pinned, with Claude Code's JSON on stdin; Lathe's own {@code statusLine} the
 * same; a command that hangs is killed. Real files, real processes, the real core.
 */
class StatusLineTest {
    @TempDir Path tmp;

    /** Prints the session id and the folder it read from its stdin, as a Claude Code script would (no jq needed). */
    private static final String SCRIPT = """
            #!/bin/sh
            input=$(cat)
            id=$(printf '%s' "$input" | sed -n 's/.*"session_id":"\\([^"]*\\)".*/\\1/p')
            dir=$(printf '%s' "$input" | sed -n 's/.*"current_dir":"\\([^"]*\\)".*/\\1/p')
            printf 'SL %s in %s\\nsecond line\\n' "$id" "$dir"
            """;

    private static void script(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static final String CLAUDE = "{\"statusLine\": {\"type\": \"command\", \"command\": \"./status.sh\", \"padding\": 0}}";

    @Test
    void aTrustedFoldersClaudeStatusLineReadsClaudeCodesJson() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            script(h.project.resolve("status.sh"), SCRIPT);
            Files.createDirectories(h.project.resolve(".claude"));
            Files.writeString(h.project.resolve(".claude/settings.json"), CLAUDE);
            h.trustProject();
            var s = h.session();

            assertThat(h.api.statusLine(s.id()).text()).isEqualTo("SL " + s.id().value() + " in " + s.directory());

            // changed since trust: not run, and said so
            script(h.project.resolve("status.sh"), "#!/bin/sh\necho changed\n");
            assertThat(h.api.statusLine(s.id()).text()).startsWith("not run: status.sh changed since trust");
        }
    }

    /**
     * Issue 82: a script written from Claude Code's status line documentation, with {@code jq}, printed {@code +null}
     * for the lines the session changed: every field it documents that Lathe can know is there, as Claude Code types it.
     */
    @Test
    void aScriptWrittenFromClaudeCodesDocsFindsEveryFieldItReads() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"edit\": \"allow\"}, \"sandbox\": {\"writable\": [\"shared\"]}", 10)) {
            script(h.project.resolve("status.sh"), """
                    #!/bin/sh
                    input=$(cat)
                    printf '%s' "$input" | jq -r '"+\\(.cost.total_lines_added) -\\(.cost.total_lines_removed) v\\(.version) \\(.transcript_path|type)"
                      + " dirs=\\(.workspace.added_dirs|join(",")) style=\\(.output_style.name) big=\\(.exceeds_200k_tokens)"
                      + " ms=\\(.cost.total_duration_ms|type) cache=\\(.context_window.current_usage.cache_read_input_tokens)"'
                    """);
            Files.createDirectories(h.project.resolve(".claude"));
            Files.writeString(h.project.resolve(".claude/settings.json"), CLAUDE);
            h.trustProject();
            var s = h.session();
            h.llm.then(McpToolTurnTest.calling("c1", "write", "{\"path\": \"a.txt\", \"content\": \"one\\ntwo\\n\"}"));
            h.llm.then(McpToolTurnTest.calling("c2", "edit", "{\"path\": \"a.txt\", \"oldString\": \"two\", \"newString\": \"TWO\"}"));
            h.llm.then(ScriptedProtocol.text("Done."), ScriptedProtocol.finish(dev.lathe.llm.StopReason.STOP));
            h.promptAndWait(s.id(), "write a.txt");
            assertThat(Files.readString(h.project.resolve("a.txt"))).isEqualTo("one\nTWO\n");

            assertThat(h.api.statusLine(s.id()).text()).isEqualTo("+3 -1 v" + dev.lathe.protocol.Version.current() + " string dirs="
                    + h.project.resolve("shared") + " style=default big=false ms=number cache=0");
        }
    }

    @Test
    void anUntrustedFoldersStatusLineDoesNotRunAndIsNamed() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Path marker = tmp.resolve("ran");
            script(h.project.resolve("status.sh"), "#!/bin/sh\ntouch " + marker + "\necho ran\n");
            Files.createDirectories(h.project.resolve(".claude"));
            Files.writeString(h.project.resolve(".claude/settings.local.json"), CLAUDE);
            var s = h.session();

            assertThat(h.api.statusLine(s.id()).text()).isEmpty();
            assertThat(marker).doesNotExist();
            assertThat(h.projects.get(h.project.toString()).config().withheldOf(Withheld.Kind.STATUS_LINE)).extracting(Withheld::message)
                    .containsExactly("skipped 1 status line command from .claude/settings.local.json (run lathe trust to allow it)");
        }
    }

    @Test
    void lathesOwnStatusLineRunsAndOneThatHangsIsKilled() throws Exception {
        try (var h = new Harness(tmp, ", \"statusLine\": {\"type\": \"command\", \"command\": \"echo own line; sleep 30\"}", 10)) {
            var s = h.session();
            long start = System.nanoTime();
            assertThat(h.api.statusLine(s.id()).text()).isEmpty();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
        }
        try (var h = new Harness(tmp.resolve("again"), ", \"statusLine\": {\"type\": \"command\", \"command\": \"echo own line\"}", 10)) {
            assertThat(h.api.statusLine(h.session().id()).text()).isEqualTo("own line");
        }
    }

    /**
     * Issue 79: at its limit a status line's whole process tree ends and the request does not wait on its pipes — a
     * background grandchild that holds stdout open, and one whose parent already exited (re-parented, so no longer a
     * descendant), both go. Each sleep is found by its own odd duration, so no other process is mistaken for it.
     */
    @Test
    void aStatusLineEndsWithEveryProcessItStartedAtItsLimitAndNothingWaitsOnItsPipes() throws Exception {
        String marks = "79000" + ProcessHandle.current().pid();
        String command = "echo own line; (sleep 41." + marks + " &); sh -c 'sleep 42." + marks + " & sleep 43." + marks + "'";
        try (var h = new Harness(tmp, ", \"statusLine\": {\"type\": \"command\", \"command\": " + dev.lathe.protocol.wire.WireJson.write(command) + "}", 10)) {
            var s = h.session();
            long start = System.nanoTime();
            assertThat(h.api.statusLine(s.id()).text()).isEmpty();
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms the request took").isLessThan(6_000);
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (!left(marks).isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(left(marks)).as("processes of the status line left running").isEmpty();
        }
    }

    /** A status line whose command ended but whose background child holds stdout: the request waits no longer than the limit. */
    @Test
    void aChildHoldingTheStatusLinesOutputDoesNotHoldTheRequest() throws Exception {
        String marks = "79000" + ProcessHandle.current().pid();
        String command = "echo own line; sleep 44." + marks + " &";
        try (var h = new Harness(tmp, ", \"statusLine\": {\"type\": \"command\", \"command\": " + dev.lathe.protocol.wire.WireJson.write(command) + "}", 10)) {
            var s = h.session();
            long start = System.nanoTime();
            assertThat(h.api.statusLine(s.id()).text()).isEqualTo("own line");
            assertThat((System.nanoTime() - start) / 1_000_000).as("ms the request took").isLessThan(6_000);
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (!left(marks).isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(left(marks)).as("processes of the status line left running").isEmpty();
        }
    }

    /** The live processes whose command line carries {@code marks}. */
    private static java.util.List<String> left(String marks) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("")).filter(c -> c.contains(marks)).toList();
    }

    @Test
    void aBadStatusLineNamesItsFileLineAndKey() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Files.writeString(h.project.resolve("lathe.json"), "{\n  \"statusLine\": {\"type\": \"script\", \"command\": \"x\"}\n}\n");
            assertThatThrownBy(() -> h.session()).hasStackTraceContaining("lathe.json").hasStackTraceContaining("statusLine.type")
                    .hasStackTraceContaining(":2");
        }
    }
}
