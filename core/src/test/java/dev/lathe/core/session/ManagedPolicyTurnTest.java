package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The administrator's managed settings in a real turn (DESIGN §29), while the user's own config allows everything. */
class ManagedPolicyTurnTest {
    @TempDir Path tmp;

    @Test
    void disableAllowAllRefusesThePromptAndAManagedDenyRefusesTheCallBothNamingTheSetting() throws Exception {
        Path policy = Files.writeString(tmp.resolve("managed.json"), "{\"disableAllowAll\": true, \"permission\": {\"bash\": {\"rm *\": \"deny\"}}}");
        try (var h = new Harness(tmp, ", \"permission\": {\"*\": \"allow\", \"bash\": {\"*\": \"allow\", \"rm *\": \"allow\"}}", 10)) {
            var s = h.session();

            assertThatThrownBy(() -> h.api.prompt(s.id(), PromptRequest.text("clean up").allowingAll()))
                    .isInstanceOf(LatheException.InvalidInput.class)
                    .hasMessage("--allow-all is refused: the managed setting disableAllowAll (" + policy + ") turns it off; run without it");
            assertThat(h.llm.requests).as("nothing was sent for the refused prompt").isEmpty();

            h.llm.then(java.util.stream.Stream.concat(java.util.Arrays.stream(call(0, "b1", "bash", "{\"command\": \"rm -rf build\", \"description\": \"clean\"}")),
                    java.util.stream.Stream.of(finish(StopReason.TOOL_CALLS))).toArray(dev.lathe.llm.LlmEvent[]::new));
            h.llm.then(text("could not"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "clean up");

            assertThat(toolState(h, s, "b1")).isInstanceOfSatisfying(ToolState.Failed.class,
                    f -> assertThat(f.error()).startsWith("Denied by bash: rm * (managed setting, " + policy + ")"));
        }
    }

    private static ToolState toolState(Harness h, dev.lathe.protocol.session.Session s, String callId) {
        return h.api.messages(s.id()).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast)
                .filter(t -> t.callId().equals(callId)).findFirst().orElseThrow(() -> new AssertionError("no call " + callId)).state();
    }
}
