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

/**
 * {@code /diff} in the terminal UI (DESIGN §32), in tmux on the packaged jar, the daemon, real git and bash, in a
 * worktree session: the panel shows the turn's first edit while the turn still runs (its next command sleeps), follows
 * the turn to its end, switches to the uncommitted and branch scopes of the worktree, and shows a file name holding an
 * escape sequence and a newline as pictures, never as a colour change or a line break.
 */
class DiffTerminalIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The worktree's commit of the first edit, a file git does not track yet, a hostile name, then a pause (it asks). */
    private static final String COMMAND = "git add a.txt && git -c user.name=t -c user.email=t@lathe.invalid commit -qm wip && echo live > live.txt"
            + " && printf x > \\\"$(printf 'evil\\\\033[31mred\\\\nline.txt')\\\" && sleep 6";

    @TempDir Path home;

    private static Turn script(RecordedRequest r) {
        if (r.toolResult("w1").isEmpty()) return Turn.of(Step.toolCall("w1", "write", "{\"path\":\"a.txt\",\"content\":\"changed\\n\"}"));
        if (r.toolResult("b1").isEmpty()) return Turn.of(Step.toolCall("b1", "bash", "{\"command\":\"" + COMMAND + "\"}"));
        return Turn.of(Step.text("all done"));
    }

    @Test
    void slashDiffFollowsATurnLiveAndShowsTheWorktreesBranch() throws Exception {
        Files.writeString(home.resolve(".gitconfig"), "[user]\n\tname = Lathe User\n\temail = user@lathe.invalid\n[commit]\n\tgpgsign = false\n");
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "main\n").initGitRepo();
            llm.respondWith(DiffTerminalIT::script);
            String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-t");
            var lathe = new Lathe(home, config.substring(0, config.length() - 1) + ", \"permission\": {\"edit\": \"allow\", \"bash\": \"allow\"}}");
            try (var tmux = Tmux.start(lathe.command("--worktree", "feat"), ws.path(), 140, 45)) {
                tmux.awaitText("Ask anything", WAIT);
                tmux.type("/diff").sendKeys("Enter");
                tmux.awaitText("± Diff · turn · 0 files", WAIT);
                tmux.type("change a.txt").sendKeys("Enter");
                // the write's change is in the panel while the next step's command still sleeps: the turn has not ended
                String during = tmux.awaitText(Pattern.compile("M a\\.txt\\s+\\+1 −1"), WAIT);
                assertThat(during).doesNotContain("all done").contains("± Diff · turn · 1 file");
                assertThat(during).contains("+ changed");
                // the command asks (its command substitution): answered, it runs and sleeps
                tmux.answerAsk(1, WAIT);
                // at its end the command's files join
                String after = tmux.awaitText(Pattern.compile("± Diff · turn · 3 files"), WAIT);
                assertThat(after).containsPattern("A live\\.txt\\s+\\+1 −0");
                tmux.awaitText("all done", WAIT);

                // git's view of the worktree: the commit is no longer uncommitted, but it is on the branch
                tmux.type("/diff uncommitted").sendKeys("Enter");
                String uncommitted = tmux.awaitText("± Diff · uncommitted · 2 files", WAIT);
                assertThat(uncommitted).containsPattern("A live\\.txt");
                // the hostile name is shown with pictures: no colour change, no line break inside it
                assertThat(uncommitted).contains("evil␛[31mred␊line.txt");
                assertThat(tmux.capture()).doesNotContain("\u001b");
                tmux.type("/diff branch").sendKeys("Enter");
                String branch = tmux.awaitText("± Diff · branch · 3 files", WAIT);
                assertThat(branch).containsPattern("M a\\.txt\\s+\\+1 −1");
                tmux.type("/diff").sendKeys("Enter");
                tmux.awaitText("Diff hidden; /diff shows it again.", WAIT);
                tmux.type("/diff yesterday").sendKeys("Enter");
                tmux.awaitText("/diff takes turn, session, uncommitted, branch or off, not yesterday", WAIT);
            } finally {
                lathe.stopDaemon();
            }
        }
    }
}
