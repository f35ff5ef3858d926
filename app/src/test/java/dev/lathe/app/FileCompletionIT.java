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
 * The terminal UI in tmux, opened in a folder the server has never seen: {@code @} completes the folder's files before
 * the first prompt, although the server's file routes serve its projects only (issue 40), and the chosen one goes
 * with the prompt.
 */
class FileCompletionIT {
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path home;

    @Test
    void atCompletesAFileOfABrandNewFolderBeforeTheFirstPrompt() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create().write("notes-for-lathe.txt", "alpha\n").initGitRepo()) {
            var lathe = new Lathe(home, Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-tui"));
            try (var tmux = Tmux.start(lathe.command(), ws.path(), 120, 30)) {
                tmux.awaitText("Ask anything", Duration.ofSeconds(60));
                tmux.type("@notes-for");
                tmux.awaitText("notes-for-lathe.txt", WAIT);
                tmux.sendKeys("Tab");
                tmux.awaitText("› @notes-for-lathe.txt", WAIT);
                llm.enqueue(Turn.of(Step.text("Read it.")));
                tmux.type("summarise");
                tmux.sendKeys("Enter");
                tmux.awaitText("Read it.", WAIT);
                assertThat(llm.requests().getFirst().lastUserText()).contains("@notes-for-lathe.txt summarise");
            } finally {
                lathe.stopDaemon();
            }
        }
    }
}
