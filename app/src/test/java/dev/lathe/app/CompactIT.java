package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /compact} as a user types it: {@code lathe run --continue "/compact"} on the real jar, then the next prompt. */
class CompactIT {
    @TempDir Path home;

    @Test
    void compactSummarisesTheSessionAndTheNextPromptStartsFromTheSummary() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            llm.enqueue(Turn.of(Step.text("The greeting lives in greet.py.")));
            llm.enqueue(Turn.of(Step.text("It prints Hello.")));
            llm.enqueue(Turn.of(Step.text("## Progress\nLooked at greet.py (SUMMARY-MARK).\n## Next step\nWait for the user.")));
            llm.enqueue(Turn.of(Step.text("Docs are next.")));
            var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY));
            String dir = ws.path().toString();

            assertThat(lathe.run("run", "--dir", dir, "where is the greeting? ORIGINAL-TASK").exit()).isZero();
            assertThat(lathe.run("run", "--dir", dir, "--continue", "what does it print?").exit()).isZero();
            var compact = lathe.run("run", "--dir", dir, "--continue", "/compact");
            assertThat(compact.exit()).as(compact.stderr()).isZero();
            assertThat(compact.stdout()).contains("Compacted the context").doesNotContain("SUMMARY-MARK");
            assertThat(llm.requests().get(2).json().path("tool_choice").asString()).isEqualTo("none");

            var next = lathe.run("run", "--dir", dir, "--continue", "now the docs");
            assertThat(next.exit()).as(next.stderr()).isZero();
            assertThat(next.stdout()).contains("Docs are next.");
            String sent = llm.requests().get(3).body();
            assertThat(sent).contains("compacted-context").contains("ORIGINAL-TASK").contains("SUMMARY-MARK").contains("what does it print?")
                    .doesNotContain("The greeting lives in greet.py.");

        }
    }
}
