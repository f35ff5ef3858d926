package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code lathe --worktree NAME} in the terminal UI (tmux, the packaged jar, the daemon, real git and bash) with the
 * user's {@code WorktreeCreate} hook making the checkout outside the repository: the session is created first, so the
 * hook is told its id; the session records the hook's folder as its worktree (listed with the repository), the UI's
 * {@code /worktree} lists the repository's worktrees from there, and leaving the UI keeps the worktree and says where.
 */
class WorktreeTerminalIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir Path home;

    private static Turn write(RecordedRequest r) {
        return r.toolResult("w1").isEmpty()
                ? Turn.of(Step.toolCall("w1", "write", "{\"path\":\"b.txt\",\"content\":\"hi\\n\"}"))
                : Turn.of(Step.text("wrote b.txt"));
    }

    @Test
    void aHooksWorktreeFromTheTerminalUiIsTheSessionsAndSlashWorktreeListsIt() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();
            Path made = Files.createDirectories(home.resolve("made")).toRealPath();
            Path script = Files.createDirectories(home.resolve("hooks")).resolve("make.sh");
            Files.writeString(script, """
                    input=$(cat)
                    printf '%s\\n' "$input" > MADE/input.json
                    name=$(printf '%s' "$input" | sed -n 's/.*"name":"\\([^"]*\\)".*/\\1/p')
                    mkdir -p "MADE/$name" && cp REPO/a.txt "MADE/$name/" && echo "MADE/$name"
                    """.replace("MADE", made.toString()).replace("REPO", ws.path().toString()));
            Files.createDirectories(home.resolve(".claude"));
            Files.writeString(home.resolve(".claude/settings.json"), "{\"hooks\": {\"WorktreeCreate\": [{\"hooks\": [{\"type\": \"command\", "
                    + "\"command\": \"bash " + script + "\"}]}]}}");
            llm.respondWith(WorktreeTerminalIT::write);
            String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-t");
            // the write goes through without an ask panel: this test is about the worktree, not permissions
            var lathe = new Lathe(home, config.substring(0, config.length() - 1) + ", \"permission\": {\"edit\": \"allow\"}}");
            Path tree = made.resolve("tui1");
            try (var tmux = Tmux.start(lathe.command("--worktree", "tui1"), ws.path(), 140, 40)) {
                tmux.awaitText("Ask anything", WAIT);
                tmux.type("write the file").sendKeys("Enter");
                tmux.awaitText("wrote b.txt", WAIT);
                tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);
                tmux.type("/worktree").sendKeys("Enter");
                // the session's folder is no repository: the list is its repository's, found through the session
                String listed = tmux.awaitText(Pattern.compile("tui1\\s+" + Pattern.quote(tree.toString())), WAIT);
                assertThat(listed).doesNotContain("not a git repository");
                tmux.sendKeys("C-c");
                tmux.awaitText("ctrl+c again to exit", WAIT);
                tmux.sendKeys("C-c");
                tmux.awaitText("lathe: worktree kept: " + tree + " (made by a WorktreeCreate hook)", WAIT);
                assertThat(tmux.awaitExit(WAIT)).isZero();
            } finally {
                lathe.stopDaemon();
            }
            assertThat(Files.readString(tree.resolve("b.txt"))).isEqualTo("hi\n");
            assertThat(ws.resolve("b.txt")).doesNotExist();
            JsonNode sessions = JSON.readTree(lathe.run("sessions", "--dir", ws.path().toString(), "--format", "json").stdout());
            assertThat(sessions).hasSize(1);
            assertThat(sessions.get(0).get("directory").asString()).isEqualTo(tree.toString());
            assertThat(sessions.get(0).get("worktree").get("name").asString()).isEqualTo("tui1");
            JsonNode input = JSON.readTree(Files.readString(made.resolve("input.json")));
            assertThat(input.get("session_id").asString()).isEqualTo(sessions.get(0).get("id").asString());
        }
    }

    /**
     * Issue 53: {@code lathe --worktree} left without a word says no resume hint for the session that goes with its
     * worktree; one with a conversation but no change says the worktree went and how to resume, and resuming it with
     * {@code lathe attach --session} warns, then makes the worktree again at the next message, where the tool runs. The
     * footer names the branch, and a kept worktree's exit line says how to merge or drop it, as {@code lathe run} does.
     */
    @Test
    void aWorktreeSessionSaysHowToResumeOnlyWhenItCanAndResumingMakesTheWorktreeAgain() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();
            llm.respondWith(r -> r.lastUserText().contains("write") ? write(r) : Turn.of(Step.text("nothing to change")));
            String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-t");
            var lathe = new Lathe(home, config.substring(0, config.length() - 1) + ", \"permission\": {\"edit\": \"allow\"}}");
            Path quiet = ws.resolve(".lathe/worktrees/quiet");
            Path talk = ws.resolve(".lathe/worktrees/talk");
            try {
                // nothing said: the worktree and its empty session go, and no resume hint points at a session that is gone
                try (var tmux = Tmux.start(lathe.command("--worktree", "quiet"), ws.path(), 140, 40)) {
                    tmux.awaitText("Ask anything", WAIT);
                    tmux.awaitText("⎇ lathe/quiet", WAIT);
                    leave(tmux);
                    String end = tmux.awaitText("lathe: worktree quiet had no changes: removed with its branch lathe/quiet, and the empty session with it", WAIT);
                    assertThat(end).doesNotContain("Resume with");
                    assertThat(tmux.awaitExit(WAIT)).isZero();
                }
                assertThat(quiet).doesNotExist();
                assertThat(JSON.readTree(lathe.run("sessions", "--dir", ws.path().toString(), "--format", "json").stdout())).isEmpty();

                // a conversation without changes: the worktree goes, the session stays, and resuming it is said
                String id;
                try (var tmux = Tmux.start(lathe.command("--worktree", "talk"), ws.path(), 140, 40)) {
                    tmux.awaitText("Ask anything", WAIT);
                    tmux.type("just look").sendKeys("Enter");
                    tmux.awaitText("nothing to change", WAIT);
                    tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);
                    leave(tmux);
                    String end = tmux.awaitText(Pattern.compile("Resume with: lathe attach --session ses_\\w+"), WAIT);
                    assertThat(end).contains("lathe: worktree talk had no changes: removed with its branch lathe/talk; resuming the session makes it again");
                    Matcher m = Pattern.compile("Resume with: lathe attach --session (ses_\\w+)").matcher(end);
                    assertThat(m.find()).isTrue();
                    id = m.group(1);
                    assertThat(tmux.awaitExit(WAIT)).isZero();
                }
                assertThat(talk).doesNotExist();

                // resumed as the hint says: warned, then the next message makes the worktree again and runs there
                try (var tmux = Tmux.start(lathe.command("attach", "--session", id), ws.path(), 140, 40)) {
                    tmux.awaitText("This session's worktree talk was removed. Your next message makes it again on branch lathe/talk", WAIT);
                    tmux.awaitText("Ask anything", WAIT);
                    tmux.type("write the file").sendKeys("Enter");
                    tmux.awaitText("wrote b.txt", WAIT);
                    tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);
                    assertThat(tmux.capture()).doesNotContain("does not exist");
                    leave(tmux);
                    tmux.awaitText("Resume with: lathe attach --session " + id, WAIT);
                    assertThat(tmux.awaitExit(WAIT)).isZero();
                }
                assertThat(Files.readString(talk.resolve("b.txt"))).isEqualTo("hi\n");
                assertThat(ws.resolve("b.txt")).doesNotExist();

                // a worktree with changes is kept, and its exit line says how to merge or drop it
                try (var tmux = Tmux.start(lathe.command("--worktree", "keep"), ws.path(), 140, 40)) {
                    tmux.awaitText("Ask anything", WAIT);
                    tmux.type("write the file").sendKeys("Enter");
                    tmux.awaitText("wrote b.txt", WAIT);
                    tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);
                    leave(tmux);
                    String end = tmux.awaitText("lathe worktree merge keep merges it, lathe worktree remove keep drops it", WAIT);
                    assertThat(end).contains("lathe: worktree kept: " + ws.resolve(".lathe/worktrees/keep") + " (branch lathe/keep)");
                    tmux.awaitText("Resume with: lathe attach --session", WAIT);
                    assertThat(tmux.awaitExit(WAIT)).isZero();
                }
            } finally {
                lathe.stopDaemon();
            }
        }
    }

    private static void leave(Tmux tmux) throws Exception {
        tmux.sendKeys("C-c");
        tmux.awaitText("ctrl+c again to exit", WAIT);
        tmux.sendKeys("C-c");
    }
}
