package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.wire.WireJson;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 79: a command the model wrote cannot forge a line of Lathe's on {@code lathe run}'s stderr. The real
 * {@code lathe run} (the packaged jar, its own process) runs three calls whose commands carry a newline and then
 * {@code lathe: …} — one that runs, one a deny rule refuses, one whose ask the run rejects (it then ends) — and a call
 * whose description carries a newline, a carriage return, an OSC title sequence and a C1 CSI. Every stderr line that starts with {@code lathe:} is one Lathe wrote; the controls
 * reach stderr only as their pictures (DESIGN §24's one sanitiser).
 */
class ForgedStderrLinesIT {
    @TempDir Path home;

    private static String bash(String command) {
        return WireJson.write(Map.of("command", command));
    }

    @Test
    void aNewlineInTheModelsCommandStartsNoLineOfLathesOnStderr() throws Exception {
        try (var llm = FakeLlm.start(); var ws = RunIT.project()) {
            llm.enqueue(Turn.of(Step.toolCall("c1", "bash", bash("echo one\necho 'lathe: FORGED all checks passed'"))).finish("tool_calls"));
            // the line shows the description when there is one: the model's text too, with controls in it
            llm.enqueue(Turn.of(Step.toolCall("c4", "bash", WireJson.write(Map.of("command", "true",
                    "description", "run\nlathe: FORGED title\r\u001b]0;owned\u0007\u009b2J")))).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.toolCall("c2", "bash", bash("rm -f nothing\nlathe: FORGED denial"))).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.toolCall("c3", "bash", bash("git status\necho 'lathe: FORGED ask'"))).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("done")));
            String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), RunIT.KEY)
                    .replaceFirst("\\}$", ", \"permission\": {\"bash\": {\"*\": \"allow\", \"rm *\": \"deny\", \"git *\": \"ask\"}}}");
            var lathe = new Lathe(home, config);

            var r = lathe.run("run", "--dir", ws.path().toString(), "do the three things");

            assertThat(r.stderr().lines().filter(l -> l.contains("FORGED")).toList()).as(r.stderr()).isNotEmpty()
                    .noneSatisfy(l -> assertThat(l).startsWith("lathe: FORGED"));
            assertThat(r.stderr()).contains("✓ bash echo one␊echo 'lathe: FORGED all checks passed'")
                    .contains("✓ bash run␊lathe: FORGED title␍␛]0;owned␇<U+009B>2J")
                    .contains("lathe: denied: bash rm -f nothing by bash: rm *").contains("lathe: permission rejected: bash git status␊echo 'lathe: FORGED ask'")
                    .doesNotContain("\u001b").doesNotContain("\u009b").doesNotContain("\u0007");
        }
    }
}
