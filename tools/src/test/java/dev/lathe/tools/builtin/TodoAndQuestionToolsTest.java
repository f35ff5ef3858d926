package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.event.Question;
import dev.lathe.protocol.session.Todo;
import dev.lathe.tools.Questions;
import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.Todos;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TodoAndQuestionToolsTest {
    @TempDir Path tmp;
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());
    final Todos todos = Todos.inMemory();
    final List<List<Question>> asked = new CopyOnWriteArrayList<>();

    ToolContext ctx(Questions questions) {
        return ToolContext.builder(tmp, RecordingPermissions.allowing()).session("ses_t").call("call_t").output(tmp.resolve("out")).todos(todos)
                .questions(questions).build();
    }

    @Test
    void todoReplacesTheListAndReadsItBack() {
        Questions none = Questions.UNAVAILABLE;
        executor.execute("todo", "{\"todos\":[{\"content\":\"a\",\"status\":\"pending\"},{\"content\":\"b\",\"status\":\"in_progress\",\"priority\":\"high\"}]}", ctx(none));
        // strict-mode models send optional nested fields as null
        var r = executor.execute("todo", "{\"todos\":[{\"content\":\"b\",\"status\":\"completed\",\"priority\":null},{\"content\":\"c\",\"status\":\"cancelled\",\"priority\":\"low\"}]}", ctx(none));
        assertThat(todos.current()).containsExactly(new Todo("b", Todo.Status.COMPLETED, Todo.Priority.MEDIUM),
                new Todo("c", Todo.Status.CANCELLED, Todo.Priority.LOW));
        assertThat(r.output()).isEqualTo("[x] b (completed)\n[-] c (cancelled, low)");
        assertThat(executor.execute("todoread", "{}", ctx(none)).output()).isEqualTo(r.output());
        assertThatThrownBy(() -> executor.execute("todo", "{\"todos\":[{\"content\":\"x\",\"status\":\"done\"}]}", ctx(none)))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("in_progress");
        assertThat(todos.current()).hasSize(2);
    }

    @Test
    void todoTakesTheIdOtherHarnessesSendAndAnArgumentItLacksIsNamedWithoutJavaInternals() {
        var r = executor.execute("todo", "{\"todos\":[{\"id\":\"1\",\"content\":\"a\",\"status\":\"pending\"}]}", ctx(Questions.UNAVAILABLE));
        assertThat(r.output()).isEqualTo("[ ] a (pending)");
        assertThatThrownBy(() -> executor.execute("todo", "{\"todos\":[{\"content\":\"x\",\"status\":\"pending\",\"owner\":\"me\"}]}", ctx(Questions.UNAVAILABLE)))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("'todos[0].owner' is not an argument it takes")
                .hasMessageNotContaining("dev.lathe").hasMessageNotContaining("class ").hasMessageNotContaining("$");
        assertThatThrownBy(() -> executor.execute("todo", "{\"todos\":{\"content\":\"x\"}}", ctx(Questions.UNAVAILABLE)))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("'todos' has the wrong type or shape").hasMessageNotContaining("dev.lathe");
    }

    @Test
    void questionReturnsTheAnswersOrTellsTheModelToGoOn() {
        Questions answering = q -> {
            asked.add(q);
            return List.of(List.of("Postgres"), List.of("a", "b"));
        };
        var r = executor.execute("question", "{\"questions\":[{\"question\":\"Which database?\",\"options\":[\"Postgres\",\"SQLite\"]},"
                + "{\"question\":\"Which parts?\",\"options\":[\"a\",\"b\",\"c\"],\"multiple\":true}]}", ctx(answering));
        assertThat(asked.getFirst()).containsExactly(new Question("Which database?", List.of("Postgres", "SQLite"), false),
                new Question("Which parts?", List.of("a", "b", "c"), true));
        assertThat(r.output()).contains("Q: Which database?\nA: Postgres").contains("Q: Which parts?\nA: a, b");
        assertThatThrownBy(() -> executor.execute("question", "{\"questions\":[{\"question\":\"?\"}]}", ctx(Questions.UNAVAILABLE)))
                .isInstanceOf(ToolFailure.class).hasMessageContaining("proceed with your best judgement");
    }
}
