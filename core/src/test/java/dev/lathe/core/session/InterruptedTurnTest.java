package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.context.ContextBuilder;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.event.Event;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer the user stops (TUI Esc, ACP {@code session/cancel}, {@code POST /sessions/ID/abort}) stays in what the model
 * reads: the next request holds the partial text as the assistant's, then the interruption marker, then the new prompt,
 * and the request after that starts with the same bytes (the cached prefix holds).
 */
class InterruptedTurnTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"openai-chat", "anthropic-messages"})
    void theNextRequestHoldsThePartialAnswerTheMarkerAndTheNewPrompt(String protocol) throws Exception {
        try (var llm = FakeLlm.start()) {
            String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"" + protocol + "\", \"baseUrl\": \"" + llm.baseUrl()
                    + "\", \"apiKey\": \"k\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}";
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                // the answer's first words arrive, then the provider goes quiet until the user stops it
                llm.enqueue(Turn.of(Step.textDeltas(List.of("Plan: first I rename ", "the parser module"))).stallAfter(protocol.startsWith("openai") ? 3 : 5));
                llm.enqueue(Turn.of(Step.text("Sure, the lexer then.")));
                llm.enqueue(Turn.of(Step.text("Done.")));
                var session = h.session();

                h.api.prompt(session.id(), dev.lathe.protocol.api.PromptRequest.text("refactor the parser"));
                h.awaitEvent(e -> e instanceof Event.PartDelta d && d.delta().contains("the parser module"));
                h.api.abort(session.id());
                h.awaitIdle(session.id());
                h.promptAndWait(session.id(), "no, do the lexer instead");
                h.promptAndWait(session.id(), "thanks");

                assertThat(llm.requests()).hasSize(3);
                String second = llm.requests().get(1).body();
                int partial = second.indexOf("Plan: first I rename the parser module");
                int marker = second.indexOf(ContextBuilder.INTERRUPTED);
                int next = second.indexOf("no, do the lexer instead");
                assertThat(partial).as("the partial answer is sent").isPositive();
                assertThat(marker).as("the interruption is marked after it").isGreaterThan(partial);
                assertThat(next).as("the new prompt follows the marker").isGreaterThan(marker);
                assertThat(second.indexOf("refactor the parser")).isLessThan(partial);
                // the partial answer is the assistant's: the messages alternate user, assistant, user
                var roles = llm.requests().get(1).messages().stream().map(m -> m.path("role").asString()).filter(r -> !r.equals("system")).toList();
                assertThat(roles).containsExactly("user", "assistant", "user");
                // cache-stable: the third request repeats the second's conversation up to its new prompt (Anthropic's cache
                // breakpoints move to the newest messages by design: they are left out of the comparison)
                String breakpoint = ",\"cache_control\":{\"type\":\"ephemeral\"}";
                String third = llm.requests().get(2).body().replace(breakpoint, "");
                String asked = second.replace(breakpoint, "");
                assertThat(third).contains(asked.substring(asked.indexOf("refactor the parser"), asked.indexOf("no, do the lexer instead")));
            }
        }
    }
}
