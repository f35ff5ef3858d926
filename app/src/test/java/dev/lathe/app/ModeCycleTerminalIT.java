package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal UI's permission modes in a real pseudo-terminal (tmux), as Claude Code's Shift+Tab cycles them
 * (DESIGN §31, issue 80): default → accept edits → plan → auto, the footer naming each, and each mode reaching the
 * server with the message — an edit runs unasked in accept edits, the plan agent answers in plan mode, the classifier
 * answers in auto, and back in default a person is asked again.
 */
class ModeCycleTerminalIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path home;

    private static String config(TuiBed bed, FakeLlm judge, String extra) {
        String config = Lathe.providerConfig("anthropic-messages", bed.llm.baseUrl(), "sk-tui");
        return config.substring(0, config.length() - 2) + ", \"judge\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + judge.baseUrl()
                + "\", \"apiKey\": \"k\", \"models\": {\"j\": {}}}}, " + extra + "\"permission\": {\"edit\": \"ask\", \"bash\": \"ask\", \"auto\": {\"model\": \"judge/j\"}}}";
    }

    /** The scripted model: the newest of the test's prompts in the conversation decides what it does. */
    private static Turn answer(RecordedRequest r) {
        if (r.body().contains("touch c")) {
            return r.toolResult("t2").isEmpty() ? Turn.of(Step.toolCall("t2", "bash", "{\"command\": \"touch c.txt\", \"description\": \"make c\"}"))
                    : Turn.of(Step.text("Touched c."));
        }
        if (r.body().contains("touch b")) {
            return r.toolResult("t1").isEmpty() ? Turn.of(Step.toolCall("t1", "bash", "{\"command\": \"touch b.txt\", \"description\": \"make b\"}"))
                    : Turn.of(Step.text("Touched b."));
        }
        if (r.body().contains("plan it")) return Turn.of(Step.text("Planned it."));
        return r.toolResult("w1").isEmpty() ? Turn.of(Step.toolCall("w1", "write", "{\"path\": \"a.txt\", \"content\": \"one\\n\"}"))
                : Turn.of(Step.text("Wrote a."));
    }

    @Test
    void shiftTabCyclesTheModesTheFooterNamesThemAndEachReachesTheServer() throws Exception {
        try (var judge = FakeLlm.start(); var bed = TuiBed.start("alpha\n")) {
            judge.respondWith(r -> Turn.of(Step.text("{\"decision\": \"allow\", \"reason\": \"the user asked for it\"}")));
            bed.lathe = new Lathe(home, config(bed, judge, ""));
            bed.llm.respondWith(ModeCycleTerminalIT::answer);
            bed.tmux = Tmux.start(bed.lathe.command(), bed.ws.path(), 110, 30);
            assertThat(bed.tmux.awaitText("Ask anything", WAIT)).doesNotContain("accept edits").doesNotContain("· auto");

            bed.tmux.sendKeys("BTab");
            bed.tmux.awaitText("build · accept edits", WAIT);
            bed.tmux.type("write a");
            bed.tmux.sendKeys("Enter");
            assertThat(bed.tmux.awaitText("Wrote a.", WAIT)).doesNotContain("Permission:");
            assertThat(bed.ws.path().resolve("a.txt")).hasContent("one\n");

            bed.tmux.sendKeys("BTab");
            assertThat(bed.tmux.awaitText("plan › Ask anything", WAIT)).contains("plan · fake/fake-model").doesNotContain("accept edits");
            bed.tmux.type("plan it");
            bed.tmux.sendKeys("Enter");
            bed.tmux.awaitText("Planned it.", WAIT);
            assertThat(bed.llm.requests().getLast().system()).contains("You are Lathe in plan mode");

            // leaving plan goes back to the agent chosen before it, in auto: the classifier answers, nobody is asked
            bed.tmux.sendKeys("BTab");
            bed.tmux.awaitText("build · auto", WAIT);
            bed.tmux.type("touch b");
            bed.tmux.sendKeys("Enter");
            assertThat(bed.tmux.awaitText("Touched b.", WAIT)).doesNotContain("Permission:");
            assertThat(bed.llm.requests().getLast().system()).doesNotContain("You are Lathe in plan mode");
            assertThat(bed.ws.path().resolve("b.txt")).exists();
            assertThat(judge.requests()).hasSize(1);

            // round to default: a person answers again
            bed.tmux.sendKeys("BTab");
            bed.tmux.type("touch c");
            bed.tmux.sendKeys("Enter");
            assertThat(bed.tmux.awaitText("Permission: bash", WAIT)).contains("touch c.txt").doesNotContain("· auto");
            assertThat(judge.requests()).hasSize(1);
            assertThat(bed.ws.path().resolve("c.txt")).doesNotExist();
        }
    }

    @Test
    void aSessionStartedInAutoByDefaultModeLeavesItForTheDefaultModeOnShiftTab() throws Exception {
        try (var judge = FakeLlm.start(); var bed = TuiBed.start("alpha\n")) {
            judge.respondWith(r -> Turn.of(Step.text("{\"decision\": \"allow\", \"reason\": \"the user asked for it\"}")));
            bed.lathe = new Lathe(home, config(bed, judge, "\"defaultMode\": \"auto\", "));
            bed.llm.respondWith(ModeCycleTerminalIT::answer);
            bed.tmux = Tmux.start(bed.lathe.command(), bed.ws.path(), 110, 30);
            assertThat(bed.tmux.awaitText("Ask anything", WAIT)).contains("build · auto");

            // the configuration starts every session in auto; Shift+Tab goes round to default, and the server hears it
            bed.tmux.sendKeys("BTab");
            bed.tmux.type("touch c");
            bed.tmux.sendKeys("Enter");
            assertThat(bed.tmux.awaitText("Permission: bash", WAIT)).contains("touch c.txt").doesNotContain("· auto");
            assertThat(judge.requests()).isEmpty();
        }
    }
}
