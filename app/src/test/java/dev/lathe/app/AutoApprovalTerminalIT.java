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
            // a reason longer than the screen is wide: the inline line is cut, the transcript view (Ctrl+O) shows it whole
            judge.respondWith(r -> Turn.of(Step.text("{\"decision\": \"allow\", \"reason\": \"the user asked for the file " + "and nothing else ".repeat(6)
                    + "so the touch is fine \\u001b[31mred\"}")));
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
            // the decision under its call, on one line cut to the screen, with no escape sequence of the classifier's
            assertThat(done).containsPattern("✓ bash touch made.txt[^\n]*\n\s+auto: allowed — the user asked for the file and nothing else")
                    .doesNotContain("so the touch is fine");

            bed.tmux.sendKeys("C-o");
            String whole = bed.tmux.awaitText("q or esc to close", WAIT);
            assertThat(whole.replaceAll("\\s+", " ")).contains("auto: allowed — the user asked for the file").contains("so the touch is fine [31mred")
                    .contains("judge/j");
            assertThat(bed.tmux.captureAnsi()).contains("[31mred").doesNotContain("\u001b[31mred");
        }
    }

    @Test
    void aClassifierThatCannotAnswerRefusesThreeCallsAsUnavailableAndTheFourthAsksThePerson() throws Exception {
        try (var judge = FakeLlm.start(); var bed = TuiBed.start("alpha\n")) {
            judge.respondWith(r -> Turn.of(Step.text("I think it is probably fine?")));
            String config = Lathe.providerConfig("anthropic-messages", bed.llm.baseUrl(), "sk-tui");
            config = config.substring(0, config.length() - 2) + ", \"judge\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + judge.baseUrl()
                    + "\", \"apiKey\": \"k\", \"models\": {\"j\": {}}}}, \"permission\": {\"bash\": \"ask\", \"auto\": {\"model\": \"judge/j\"}}}";
            bed.lathe = new Lathe(home, config);
            bed.llm.respondWith(r -> {
                for (int i = 1; i <= 4; i++) {
                    if (r.toolResult("g" + i).isEmpty()) {
                        return Turn.of(Step.toolCall("g" + i, "bash", "{\"command\": \"touch f" + i + ".txt\", \"description\": \"make f" + i + "\"}"));
                    }
                }
                return Turn.of(Step.text("All four tried."));
            });
            bed.tmux = Tmux.start(bed.lathe.command("--auto"), bed.ws.path(), 100, 30);
            bed.tmux.awaitText("Ask anything", WAIT);

            bed.tmux.type("make four files");
            bed.tmux.sendKeys("Enter");
            String asked = bed.tmux.awaitText("Permission: bash", Duration.ofSeconds(60));
            assertThat(asked).contains("touch f4.txt").containsPattern("auto: unavailable");
            String all = bed.tmux.capture() + "\n" + String.join("\n", bed.tmux.screen());
            for (int i = 1; i <= 3; i++) assertThat(all).containsPattern("bash touch f" + i + ".txt[^\\n]*\\n\\s+auto: unavailable");
            assertThat(bed.ws.path().resolve("f1.txt")).doesNotExist();
            assertThat(bed.ws.path().resolve("f4.txt")).doesNotExist();
        }
    }
}
