package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.mcp.McpExtensionTools;
import dev.lathe.core.mcp.ProjectMcpServers;
import dev.lathe.llm.StopReason;
import dev.lathe.mcp.McpOptions;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.QuestionReplyRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.Question;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.NpmServers;
import dev.lathe.tools.ToolRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Elicitation end to end (DESIGN §14): the real server-everything's {@code trigger-elicitation-request} called in a real
 * turn through the core's MCP wiring (ProjectMcpServers → McpExtensionTools → the tool pipeline); its form reaches the
 * session as a question, which a client answers through the API, and the server's raw result shows what it received.
 */
class McpElicitationTurnTest {
    static final String TOOL = "ev_trigger-elicitation-request";
    @TempDir Path tmp;

    private static McpServerSpec everything(Duration timeout) {
        return new McpServerSpec.Local("ev", List.of(NpmServers.bin("mcp-server-everything").toString()), Map.of(),
                McpServerSpec.Activation.ENABLED, timeout);
    }

    /** A harness whose project runs server-everything with the core's elicitor; the elicitation tool is known. */
    private record Wired(Harness h, ProjectMcpServers servers) implements AutoCloseable {
        static Wired start(Path tmp, Duration timeout) throws Exception {
            var holder = new ProjectMcpServers[1];
            var tools = new McpExtensionTools(100_000, t -> 10, (r, n) -> holder[0].client(r, n));
            holder[0] = new ProjectMcpServers(tmp.resolve("state"), McpOptions.Backoff.DEFAULT, tools, Optional.empty());
            var h = new Harness(tmp, ", \"permission\": {\"" + TOOL + "\": \"allow\"}", ToolRegistry.builtins(), tools);
            holder[0].open(h.project, Map.of("ev", everything(timeout)), System.getenv());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tools.find(h.project, TOOL).isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(tools.find(h.project, TOOL)).as("the elicitation tool is offered once the client declares elicitation").isPresent();
            return new Wired(h, holder[0]);
        }

        SessionId prompt() {
            var s = h.session();
            h.llm.then(McpToolTurnTest.calling("c1", TOOL, "{}"));
            h.llm.then(text("Done."), finish(StopReason.STOP));
            h.api.prompt(s.id(), PromptRequest.text("ask me"));
            return s.id();
        }

        QuestionRequest awaitQuestion(SessionId session, java.util.Set<String> seen) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                var open = h.api.questions(h.project.toString()).stream()
                        .filter(q -> q.sessionId().equals(session) && !seen.contains(q.id().value())).findFirst();
                if (open.isPresent()) {
                    seen.add(open.get().id().value());
                    return open.get();
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no question reached the session");
        }

        String output(SessionId session) throws InterruptedException {
            h.awaitIdle(session);
            var part = McpToolTurnTest.part(h, session, TOOL);
            assertThat(part.state()).isInstanceOf(ToolState.Completed.class);
            return ((ToolState.Completed) part.state()).output();
        }

        @Override
        public void close() throws Exception {
            servers.close();
            h.close();
        }
    }

    @Test
    void theFormIsAskedAsQuestionsAndTheAnswersReachTheServerInTheSchemasTypes() throws Exception {
        try (var w = Wired.start(tmp, Duration.ofSeconds(30))) {
            SessionId session = w.prompt();
            var seen = new java.util.HashSet<String>();
            QuestionRequest form = w.awaitQuestion(session, seen);
            List<Question> qs = form.questions();
            assertThat(qs).hasSize(13);
            assertThat(qs.getFirst().question()).startsWith("ev asks: Please provide inputs for the following fields:")
                    .contains("String: Your full, legal name").doesNotContain("(optional)");
            assertThat(qs.getFirst().options()).as("a required text field is typed").isEmpty();
            assertThat(qs.get(1).options()).containsExactly("yes", "no", "(leave empty)");
            assertThat(qs.get(2).options()).containsExactly("It was a dark and stormy night.");
            assertThat(qs.get(9).multiple()).isTrue();
            assertThat(qs.get(10).options()).containsExactly("Superman", "Green Lantern", "Wonder Woman");
            assertThat(qs.get(12).options()).containsExactly("Cats", "Dogs", "Birds", "Fish", "Reptiles");

            w.h().api.replyQuestion(form.id(), QuestionReplyRequest.answered(List.of(
                    List.of("Ada Lovelace"), List.of("yes"), List.of("It was a dark and stormy night."), List.of("not an address"),
                    List.of("(leave empty)"), List.of("1815-12-10"), List.of("7"), List.of("2.5"), List.of("Joey"),
                    List.of("Piano", "Drums"), List.of("Wonder Woman"), List.of("Salmon"), List.of("Dogs"))));

            QuestionRequest again = w.awaitQuestion(session, seen);
            assertThat(again.questions()).as("only the field not accepted is asked again, saying why").singleElement()
                    .satisfies(q -> assertThat(q.question()).contains("Your email address", "not accepted: not a valid email"));
            w.h().api.replyQuestion(again.id(), QuestionReplyRequest.answered(List.of(List.of("ada@example.org"))));

            String out = w.output(session);
            assertThat(out).contains("User provided the requested information", "\"action\": \"accept\"",
                    "\"name\": \"Ada Lovelace\"", "\"check\": true", "\"firstLine\": \"It was a dark and stormy night.\"",
                    "\"email\": \"ada@example.org\"", "\"birthdate\": \"1815-12-10\"", "\"integer\": 7", "\"number\": 2.5",
                    "\"untitledSingleSelectEnum\": \"Joey\"", "\"titledSingleSelectEnum\": \"hero-3\"", "\"legacyTitledEnum\": \"pet-2\"")
                    .doesNotContain("homepage");
            assertThat(out.replaceAll("\\s+", "")).contains("\"untitledMultipleSelectEnum\":[\"Piano\",\"Drums\"]",
                    "\"titledMultipleSelectEnum\":[\"fish-2\"]");
        }
    }

    @Test
    void aDismissedQuestionIsADeclineAndAClientThatCannotAnswerIsACancel() throws Exception {
        try (var w = Wired.start(tmp, Duration.ofSeconds(30))) {
            SessionId first = w.prompt();
            var seen = new java.util.HashSet<String>();
            w.h().api.replyQuestion(w.awaitQuestion(first, seen).id(), QuestionReplyRequest.rejected("The user dismissed the question."));
            assertThat(w.output(first)).contains("User declined", "\"action\": \"decline\"");

            SessionId second = w.prompt();
            // what `lathe run` answers: nobody is there
            w.h().api.replyQuestion(w.awaitQuestion(second, seen).id(), QuestionReplyRequest.rejected(QuestionReplyRequest.UNAVAILABLE));
            assertThat(w.output(second)).contains("User cancelled", "\"action\": \"cancel\"");
        }
    }

    @Test
    void aQuestionNobodyAnswersEndsWithTheCallsTimeoutAndLeavesNoQuestionBehind() throws Exception {
        try (var w = Wired.start(tmp, Duration.ofSeconds(6))) {
            SessionId session = w.prompt();
            QuestionRequest asked = w.awaitQuestion(session, new java.util.HashSet<>());
            w.h().awaitIdle(session);
            assertThat(McpToolTurnTest.part(w.h(), session, TOOL).state()).isInstanceOfSatisfying(ToolState.Failed.class,
                    f -> assertThat(f.error()).contains("did not answer", "within 6 s"));
            assertThat(w.h().api.questions(w.h().project.toString())).isEmpty();
            w.h().awaitEvent(e -> e instanceof Event.QuestionReplied r && r.questionId().equals(asked.id()) && !r.answered());
        }
    }
}
