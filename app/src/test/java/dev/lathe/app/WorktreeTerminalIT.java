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
}
