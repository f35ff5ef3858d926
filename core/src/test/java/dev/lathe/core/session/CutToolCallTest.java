package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.session.turn.TurnSeams;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool call the output limit cut mid-arguments (the provider's {@code max_tokens} / {@code length} with a call pending)
 * never runs, and the model is told its output was cut and to write smaller pieces, not that its JSON was invalid. Over
 * each protocol's real wire format (the FakeLlm on loopback).
 */
class CutToolCallTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @CsvSource({"anthropic-messages, max_tokens", "openai-chat, length", "openai-responses, length"})
    void aCallCutAtTheOutputLimitDoesNotRunAndTheModelIsToldToWriteSmallerPieces(String protocol, String cutReason) throws Exception {
        try (var llm = FakeLlm.start()) {
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"" + protocol + "\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"apiKey\": \"k\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}, \"permission\": {\"edit\": \"allow\"}}";
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                llm.enqueue(Turn.of(Step.text("Writing it."), Step.toolCall("w1", "write", "{\"path\": \"big.txt\", \"content\": \"line 1\\nline 2\\nli"))
                        .finish(cutReason));
                llm.enqueue(Turn.of(Step.text("I will write it in parts.")));
                var session = h.session();

                h.promptAndWait(session.id(), "write a big file");

                assertThat(h.project.resolve("big.txt")).doesNotExist();
                assertThat(llm.requests()).hasSize(2);
                var second = llm.requests().get(1);
                assertThat(second.toolResult("w1")).hasValueSatisfying(r -> assertThat(r)
                        .contains("cut off at the output token limit").contains("did not run").contains("smaller pieces")
                        .doesNotContain("JSON"));
                var call = h.api.messages(session.id()).stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance)
                        .map(Part.Tool.class::cast).findFirst().orElseThrow();
                assertThat(call.state()).isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.error()).isEqualTo(TurnSeams.CUT_CALL));
            }
        }
    }
}
