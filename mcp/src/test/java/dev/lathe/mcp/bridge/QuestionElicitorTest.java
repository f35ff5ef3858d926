package dev.lathe.mcp.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.event.Question;
import dev.lathe.tools.Permissions;
import dev.lathe.tools.Questions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The elicitor's choices that need no server: whom it asks, and what each refusal becomes. */
class QuestionElicitorTest {
    private static final Map<String, Object> FORM = Map.of("type", "object",
            "properties", Map.of("n", Map.of("type", "integer", "title", "How many", "minimum", 1)), "required", List.of("n"));

    private static ToolContext asking(Questions questions) {
        return ToolContext.builder(Path.of("/tmp"), Permissions.ALLOW_ALL).session("ses_1").call("call_1").output(Path.of("/tmp/out"))
                .questions(questions).build();
    }

    private static McpSchema.ElicitResult elicit(QuestionElicitor elicitor, Map<String, Object> schema) {
        return elicitor.elicit("srv", McpSchema.ElicitRequest.builder("Tell me", schema).build());
    }

    @Test
    void withNoCallRunningOnTheServerNobodyIsAskedAndItIsCancelled() {
        var calls = new RunningCalls();
        var asked = new CopyOnWriteArrayList<List<Question>>();
        try (var other = calls.enter("another", asking(q -> { asked.add(q); return List.of(List.of("1")); }))) {
            assertThat(elicit(new QuestionElicitor(calls), FORM).action()).isEqualTo(McpSchema.ElicitResult.Action.CANCEL);
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void theNewestCallOnTheServerIsAskedAndABadNumberIsAskedAgain() {
        var calls = new RunningCalls();
        var asked = new CopyOnWriteArrayList<List<Question>>();
        List<String> replies = new CopyOnWriteArrayList<>(List.of("zero", "0", "3"));
        try (var older = calls.enter("srv", asking(Questions.UNAVAILABLE));
                var newer = calls.enter("srv", asking(q -> { asked.add(q); return List.of(List.of(replies.removeFirst())); }))) {
            var result = elicit(new QuestionElicitor(calls), FORM);
            assertThat(result.action()).isEqualTo(McpSchema.ElicitResult.Action.ACCEPT);
            assertThat(result.content()).isEqualTo(Map.of("n", 3L));
        }
        assertThat(asked).hasSize(3);
        assertThat(asked.get(0).getFirst().question()).isEqualTo("srv asks: Tell me\nHow many");
        assertThat(asked.get(1).getFirst().question()).endsWith("(not accepted: 'zero' is not an integer)");
        assertThat(asked.get(2).getFirst().question()).endsWith("(not accepted: at least 1)");
    }

    /**
     * A call that gives up at a known time (its timeout, from its last progress report) says in the question how long the
     * user has to answer: the question vanishes then (issue 71, minor 15).
     */
    @Test
    void aQuestionSaysHowLongItsCallStillWaits() {
        var calls = new RunningCalls();
        var asked = new CopyOnWriteArrayList<List<Question>>();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        try (var call = calls.enter("srv", asking(q -> { asked.add(q); return List.of(List.of("2")); }), java.util.Optional.of(() -> deadline))) {
            assertThat(elicit(new QuestionElicitor(calls), FORM).action()).isEqualTo(McpSchema.ElicitResult.Action.ACCEPT);
        }
        assertThat(asked.getFirst().getFirst().question()).matches("(?s)srv asks: Tell me \\(answer within (29|30) s: the call waits no longer\\)\nHow many");
        assertThat(QuestionElicitor.heading("srv asks: x", java.util.Optional.of(java.time.Duration.ofMillis(200))))
                .isEqualTo("srv asks: x (answer within 1 s: the call waits no longer)\n");
    }

    @Test
    void aDismissalDeclinesAnUnavailableClientCancelsAndAnUnaskableFormDeclines() {
        var calls = new RunningCalls();
        try (var call = calls.enter("srv", asking(q -> { throw new ToolFailure("The user dismissed the questions: no"); }))) {
            assertThat(elicit(new QuestionElicitor(calls), FORM).action()).isEqualTo(McpSchema.ElicitResult.Action.DECLINE);
        }
        try (var call = calls.enter("srv", asking(Questions.UNAVAILABLE))) {
            assertThat(elicit(new QuestionElicitor(calls), FORM).action()).isEqualTo(McpSchema.ElicitResult.Action.CANCEL);
            Map<String, Object> nested = Map.of("type", "object", "properties", Map.of("o", Map.of("type", "object")));
            assertThat(elicit(new QuestionElicitor(calls), nested).action()).isEqualTo(McpSchema.ElicitResult.Action.DECLINE);
        }
    }

    @Test
    void theEndOfTheCallAbandonsAQuestionStillOpen() throws Exception {
        var calls = new RunningCalls();
        var waiting = new CompletableFuture<Void>();
        var call = calls.enter("srv", asking(q -> {
            waiting.complete(null);
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                throw new ToolFailure("The turn was aborted.");
            }
            return List.of(List.of("2"));
        }));
        var result = CompletableFuture.supplyAsync(() -> elicit(new QuestionElicitor(calls), FORM));
        waiting.get(5, TimeUnit.SECONDS);
        call.close();
        assertThat(result.get(5, TimeUnit.SECONDS).action()).isEqualTo(McpSchema.ElicitResult.Action.CANCEL);
        assertThat(calls.newest("srv")).isEmpty();
    }
}
