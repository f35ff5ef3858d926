package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.Question;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The todo and question tools through the real turn loop, store and bus. */
class TodoAndQuestionTest {
    @TempDir Path tmp;

    private static LlmEvent[] withFinish(LlmEvent[] call) {
        return Stream.concat(Stream.of(call), Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new);
    }

    private static List<Content.ToolResult> results(LlmRequest request) {
        return request.messages().stream().flatMap(m -> m.content().stream())
                .filter(Content.ToolResult.class::isInstance).map(Content.ToolResult.class::cast).toList();
    }

    @Test
    void theTodoListIsReplacedStoredAndAnnounced() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(withFinish(call(0, "c1", "todo", "{\"todos\":[{\"content\":\"a\",\"status\":\"in_progress\"},{\"content\":\"b\",\"status\":\"pending\"}]}")));
            h.llm.then(withFinish(call(0, "c2", "todo", "{\"todos\":[{\"content\":\"a\",\"status\":\"completed\",\"priority\":\"high\"}]}")));
            h.llm.then(text("done"), finish(StopReason.STOP));
            var s = h.session();
            h.promptAndWait(s.id(), "plan");

            List<Todo> expected = List.of(new Todo("a", Todo.Status.COMPLETED, Todo.Priority.HIGH));
            assertThat(h.api.todos(s.id())).isEqualTo(expected);
            var updates = h.events.stream().map(e -> e.event()).filter(Event.TodoUpdated.class::isInstance).map(Event.TodoUpdated.class::cast).toList();
            assertThat(updates).hasSize(2);
            assertThat(updates.getFirst().todos()).hasSize(2);
            assertThat(updates.getLast()).isEqualTo(new Event.TodoUpdated(s.id(), expected));
            // the model reads the list back in its own call's result (todoread is offered only where an agent names it, decision 494)
            assertThat(results(h.llm.requests.getLast()).getLast().toString()).contains("[x] a (completed, high)");
            assertThat(h.llm.requests.getLast().tools()).extracting(t -> t.name()).contains("todo").doesNotContain("todoread");
            // the list lives outside the messages: another session starts empty
            assertThat(h.api.todos(h.session().id())).isEmpty();
        }
    }

    @Test
    void aQuestionWaitsForTheReplyAndTheModelGetsTheAnswer() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(withFinish(call(0, "c1", "question", "{\"questions\":[{\"question\":\"Which DB?\",\"options\":[\"pg\",\"sqlite\"]}]}")));
            h.llm.then(text("ok"), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("go"));

            Event.QuestionAsked asked = await(h, Event.QuestionAsked.class);
            assertThat(asked.request().questions()).containsExactly(new Question("Which DB?", List.of("pg", "sqlite"), false));
            assertThat(h.api.status(s.id())).isInstanceOf(SessionStatus.Waiting.class);
            assertThat(h.api.questions(h.project.toString())).extracting(q -> q.id()).containsExactly(asked.request().id());
            assertThat(h.llm.requests).hasSize(1);
            h.api.replyQuestion(asked.request().id(), QuestionReplyRequest.answered(List.of(List.of("sqlite"))));
            h.awaitIdle(s.id());

            assertThat(results(h.llm.requests.getLast()).getLast().toString()).contains("Q: Which DB?").contains("A: sqlite");
            assertThat(await(h, Event.QuestionReplied.class).answered()).isTrue();
            assertThat(h.api.questions("")).isEmpty();
        }
    }

    @Test
    void aDeclinedQuestionTellsTheModelToProceedAndTheTurnGoesOn() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            h.llm.then(withFinish(call(0, "c1", "question", "{\"questions\":[{\"question\":\"Which DB?\"}]}")));
            h.llm.then(text("I will pick sqlite."), finish(StopReason.STOP));
            var s = h.session();
            h.api.prompt(s.id(), dev.lathe.protocol.api.PromptRequest.text("go"));
            h.api.replyQuestion(await(h, Event.QuestionAsked.class).request().id(), QuestionReplyRequest.rejected(QuestionReplyRequest.UNAVAILABLE));
            h.awaitIdle(s.id());

            assertThat(h.llm.requests).hasSize(2);
            assertThat(results(h.llm.requests.getLast()).getLast().toString()).contains("proceed with your best judgement");
            assertThat(await(h, Event.QuestionReplied.class).answered()).isFalse();
        }
    }

    private static <T> T await(Harness h, Class<T> type) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            var found = h.events.stream().map(e -> e.event()).filter(type::isInstance).map(type::cast).findFirst();
            if (found.isPresent()) return found.get();
            Thread.sleep(10);
        }
        throw new AssertionError("no " + type.getSimpleName());
    }
}
