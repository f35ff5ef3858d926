package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 82: a worktree session is made before its first prompt, so the terminal UI's header line showed its placeholder
 * title {@code New session - DATE}; it says "new session" as other new sessions do, and once the first prompt titled
 * it, attaching shows that title.
 */
class WorktreeTitleTerminalIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir Path home;

    @Test
    void aWorktreeSessionsHeaderSaysNewSessionThenItsRealTitle() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();
            llm.respondWith(r -> Turn.of(Step.text("nothing to change")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-t"));
            String id;
            try (var tmux = Tmux.start(lathe.command("--worktree", "named"), ws.path(), 140, 40)) {
                String first = tmux.awaitText("Ask anything", WAIT);
                assertThat(first).contains("lathe · new session · ses_").doesNotContain("New session - ");
                tmux.type("look at the readme please").sendKeys("Enter");
                tmux.awaitText("nothing to change", WAIT);
                tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);
                var listed = WebAutoApprovalIT.JSON.readTree(lathe.run("sessions", "--dir", ws.path().toString(), "--format", "json").stdout());
                assertThat(listed.get(0).path("title").asString()).isEqualTo("look at the readme please");
                id = listed.get(0).path("id").asString();
            }
            try (var tmux = Tmux.start(lathe.command("attach", "--session", id), ws.path(), 140, 40)) {
                assertThat(tmux.awaitText("Ask anything", WAIT)).contains("lathe · look at the readme please · " + id);
            }
        }
    }
}
