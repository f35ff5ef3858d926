package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.Protocols;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link dev.lathe.core.session.inbox.PromptIntake} through the real core (SQLite, the turn loop, the task tool) against the FakeLlm: a prompt through
 * the API and a task's prompt to its child session pick the agent and the model by the same rules, carry the
 * environment note on the first message only, and only the API prompt names its session.
 */
class PromptIntakeTest {
    /** A subagent with a model of its own, other than the project's. */
    static final String REVIEWER = """
            ---
            description: Reviews a change
            mode: subagent
            model: fake/small
            ---
            REVIEWER-PROMPT: review.
            """;

    @TempDir Path tmp;

    private Harness harness(FakeLlm llm) throws Exception {
        String config = "{\"model\": \"fake/m\", \"provider\": {\"fake\": {\"protocol\": \"openai-chat\", \"baseUrl\": \"" + llm.baseUrl()
                + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}, \"small\": {\"context\": 100000, \"output\": 4000}}}}}";
        var h = new Harness(tmp, config, 20, Protocols.standard(HttpClient.newHttpClient()));
        Files.createDirectories(h.project.resolve(".lathe/agents"));
        Files.writeString(h.project.resolve(".lathe/agents/reviewer.md"), REVIEWER);
        return h;
    }

    private static Turn task(String callId, String agent) {
        return Turn.of(Step.toolCall(callId, "task", "{\"description\":\"Review the change\",\"prompt\":\"Review a.txt\",\"agent\":\"" + agent
                + "\"}")).finish("tool_calls");
    }

    @Test
    void aTaskChildAndAnApiChildGetTheSameAgentModelAndEnvironmentNote() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm)) {
            llm.respondWith(r -> {
                if (r.system().contains("REVIEWER-PROMPT")) return Turn.of(Step.text("CHILD-DONE"));
                return r.toolResult("t1").isEmpty() ? task("t1", "reviewer") : Turn.of(Step.text("PARENT-DONE"));
            });
            Session parent = h.session();
            h.promptAndWait(parent.id(), "review my change");
            Session taskChild = h.api.children(parent.id()).getFirst();

            // the same subagent asked for through the API, in a child session (its model starts as the project's)
            Session apiChild = h.api.createSession(new CreateSessionRequest(h.project.toString(), Optional.empty(), Optional.of("reviewer"),
                    Optional.empty(), Optional.of(parent.id())));
            assertThat(apiChild.model()).isEqualTo("fake/m");
            h.api.prompt(apiChild.id(), new PromptRequest(List.of(new dev.lathe.protocol.api.InputPart.Text("Review a.txt\nplease")),
                    Optional.of("reviewer"), Optional.empty()));
            h.awaitIdle(apiChild.id());

            UserMessage fromTask = firstUser(h, taskChild);
            UserMessage fromApi = firstUser(h, apiChild);
            assertThat(fromTask.agent()).isEqualTo("reviewer").isEqualTo(fromApi.agent());
            assertThat(fromTask.model()).as("the agent's own model wins over the parent's").isEqualTo("fake/small").isEqualTo(fromApi.model());
            assertThat(environmentNotes(h, taskChild)).isEqualTo(environmentNotes(h, apiChild)).isEqualTo(List.of(1));

            // a task's child keeps the name its task gave it; a prompt through the API names its session
            assertThat(h.api.session(taskChild.id()).title()).isEqualTo("Review the change (@reviewer subagent)");
            assertThat(h.api.session(apiChild.id()).title()).isEqualTo("Review a.txt");

            // a second prompt carries no environment note
            h.promptAndWait(apiChild.id(), "again");
            assertThat(environmentNotes(h, apiChild)).isEqualTo(List.of(1, 0));
        }
    }

    @Test
    void whichAgentsMayAnswerDependsOnWhoDrivesTheSession() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm)) {
            llm.respondWith(r -> r.toolResult("t1").isEmpty() ? task("t1", "build") : Turn.of(Step.text("PARENT-DONE")));
            Session parent = h.session();

            // a person's session: primary agents only
            assertThatThrownBy(() -> h.api.prompt(parent.id(), new PromptRequest(PromptRequest.text("x").parts(), Optional.of("reviewer"), Optional.empty())))
                    .isInstanceOf(LatheException.InvalidInput.class).hasMessageContaining("agent 'reviewer' is a subagent");
            assertThatThrownBy(() -> h.api.prompt(parent.id(), new PromptRequest(PromptRequest.text("x").parts(), Optional.of("nobody"), Optional.empty())))
                    .isInstanceOf(LatheException.InvalidInput.class).hasMessageStartingWith("unknown agent 'nobody'; available: ");

            // the task tool: subagents only, refused as the tool's error (the model reads it), no child session made
            h.promptAndWait(parent.id(), "delegate");
            assertThat(llm.requests().getLast().toolResult("t1")).hasValueSatisfying(
                    text -> assertThat(text).contains("Unknown subagent 'build'. Available: ").contains("reviewer"));
            assertThat(h.api.children(parent.id())).isEmpty();

            // a child made through the API: any agent
            Session apiChild = h.api.createSession(new CreateSessionRequest(h.project.toString(), Optional.empty(), Optional.of("build"),
                    Optional.empty(), Optional.of(parent.id())));
            assertThat(apiChild.agent()).isEqualTo("build");
        }
    }

    @Test
    void aModelThatCannotBeUsedIsRefusedBeforeAnythingIsStored() throws Exception {
        try (var llm = FakeLlm.start(); var h = harness(llm)) {
            Session s = h.session();
            assertThatThrownBy(() -> h.api.prompt(s.id(), new PromptRequest(PromptRequest.text("x").parts(), Optional.empty(), Optional.of("nowhere/x"))))
                    .isInstanceOf(LatheException.InvalidInput.class);
            assertThat(h.api.messages(s.id())).isEmpty();
            assertThat(h.api.session(s.id()).model()).isEqualTo("fake/m");
        }
    }

    private static UserMessage firstUser(Harness h, Session session) {
        return (UserMessage) h.api.messages(session.id()).stream().map(MessageWithParts::info).filter(UserMessage.class::isInstance)
                .findFirst().orElseThrow();
    }

    /** Per user message, how many synthetic environment notes it carries. */
    private static List<Integer> environmentNotes(Harness h, Session session) {
        return h.api.messages(session.id()).stream().filter(m -> m.info() instanceof UserMessage)
                .map(m -> (int) m.parts().stream().filter(p -> p instanceof Part.Text t && t.synthetic() && t.text().startsWith("<environment>")).count())
                .toList();
    }
}
