package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe --auto} in a real pseudo-terminal (tmux): the footer says auto-approval answers the asks, and a command
 * the rules would ask about runs without an ask panel because the classifier the user's config names allowed it.
 */
class AutoApprovalTerminalIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path home;

    @Test
    void theClassifierAnswersWhatWouldHaveAskedAndTheFooterSaysSo() throws Exception {
        try (var judge = FakeLlm.start(); var bed = TuiBed.start("alpha\n")) {
            judge.respondWith(r -> Turn.of(Step.text("{\"decision\": \"allow\", \"reason\": \"the user asked for the file\"}")));
            String config = Lathe.providerConfig("anthropic-messages", bed.llm.baseUrl(), "sk-tui");
            config = config.substring(0, config.length() - 2) + ", \"judge\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + judge.baseUrl()
                    + "\", \"apiKey\": \"k\", \"models\": {\"j\": {}}}}, \"permission\": {\"bash\": \"ask\", \"auto\": {\"model\": \"judge/j\"}}}";
            bed.lathe = new Lathe(home, config);
            bed.llm.respondWith(r -> r.toolResult("b1").isEmpty()
                    ? Turn.of(Step.toolCall("b1", "bash", "{\"command\": \"touch made.txt\", \"description\": \"make it\"}"))
                    : Turn.of(Step.text("Made the file.")));
            bed.tmux = Tmux.start(bed.lathe.command("--auto"), bed.ws.path(), 100, 30);
            String first = bed.tmux.awaitText("Ask anything", WAIT);
            assertThat(first).contains("build · auto");

            bed.tmux.type("make the file");
            bed.tmux.sendKeys("Enter");
            String done = bed.tmux.awaitText("Made the file.", WAIT);
            assertThat(done).doesNotContain("Permission: bash");
            assertThat(bed.ws.path().resolve("made.txt")).exists();
            assertThat(judge.requests()).hasSize(1);
            assertThat(judge.requests().getFirst().lastUserText()).contains("make the file").contains("touch made.txt");
        }
    }
}
