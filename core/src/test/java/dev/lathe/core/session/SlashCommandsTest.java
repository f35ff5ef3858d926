package dev.lathe.core.session;

import dev.lathe.core.command.BuiltinCommands;
import dev.lathe.core.command.PromptCommand;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static dev.lathe.core.session.SessionAdminTest.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CommandRequest;
import dev.lathe.protocol.api.CommandResult;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.session.Part;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlashCommandsTest {
    @TempDir Path tmp;

    @Test
    void undoAndRedoPutFilesBackAndForth() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"edit\": \"allow\"}", 10)) {
            var s = h.session();
            h.llm.then(Stream.concat(Stream.of(call(0, "c1", "write", "{\"path\":\"new.txt\",\"content\":\"hi\"}")),
                    Stream.of(finish(StopReason.TOOL_CALLS))).toArray(LlmEvent[]::new));
            h.llm.then(text("Written."), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "write new.txt");
            Path file = h.project.resolve("new.txt");
            assertThat(file).exists();

            CommandResult undone = h.api.command(s.id(), CommandRequest.of("undo"));
            assertThat(undone.name()).isEqualTo("undo");
            assertThat(undone.messageId()).isEmpty();
            assertThat(undone.revert()).hasValueSatisfying(r -> {
                assertThat(r.files()).containsExactly("new.txt");
                assertThat(r.session().revert()).isPresent();
            });
            assertThat(file).doesNotExist();
            assertThat(h.api.messages(s.id())).isEmpty();

            CommandResult redone = h.api.command(s.id(), new CommandRequest("/redo", "ignored"));
            assertThat(redone.revert()).hasValueSatisfying(r -> assertThat(r.files()).containsExactly("new.txt"));
            assertThat(Files.readString(file)).isEqualTo("hi");
            assertThat(h.api.messages(s.id())).hasSize(2);
        }
    }

    @Test
    void initPromptsTheModelWithTheTemplateAndTheArguments() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var s = h.session();
            h.llm.then(text("I wrote AGENTS.md."), finish(StopReason.STOP));

            CommandResult result = h.api.command(s.id(), new CommandRequest("init", "focus on the tests"));

            assertThat(result.revert()).isEmpty();
            assertThat(result.messageId()).isPresent();
            h.awaitIdle(s.id());
            assertThat(h.api.messages(s.id()).getFirst().info().id()).isEqualTo(result.messageId().get());
            var sent = h.llm.requests.getFirst().messages().getFirst().content().getFirst();
            assertThat(sent).isInstanceOfSatisfying(Content.Text.class, t -> {
                assertThat(t.text()).startsWith("Look through this project and write an `AGENTS.md`");
                assertThat(t.text()).endsWith("focus on the tests").doesNotContain("$ARGUMENTS");
            });
        }
    }

    @Test
    void initSendsItsPromptToTheModelAndTheModelsWriteLandsOnDisk() throws Exception {
        try (var llm = FakeLlm.start()) {
            String config = "{\"model\": \"fake/m\", \"permission\": {\"edit\": \"allow\"}, \"provider\": {\"fake\": {\"protocol\": \"anthropic-messages\","
                    + " \"baseUrl\": \"" + llm.baseUrl() + "\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}";
            try (var h = new Harness(tmp, config, 10, Protocols.standard(HttpClient.newHttpClient()))) {
                Files.writeString(h.project.resolve("pom.xml"), "<project/>\n");
                String agentsMd = "# AGENTS.md\n\n- Build and test: `./mvnw verify`.\n";
                llm.enqueue(Turn.of(Step.toolCall("c1", "write", "{\"path\":\"AGENTS.md\",\"content\":" + tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(agentsMd) + "}")));
                llm.enqueue(Turn.of(Step.text("Wrote AGENTS.md.")));
                var s = h.session();

                CommandResult result = h.api.command(s.id(), CommandRequest.of("init"));
                h.awaitIdle(s.id());

                assertThat(result.messageId()).isPresent();
                String template = new String(BuiltinCommands.class.getResourceAsStream("init.md").readAllBytes(), StandardCharsets.UTF_8).strip();
                RecordedRequest first = llm.requests().getFirst();
                String userText = first.messages().getFirst().path("content").path(0).path("text").asString();
                assertThat(userText).isEqualTo(PromptCommand.expand(template, "")).startsWith("Look through this project and write an `AGENTS.md`");
                assertThat(first.toolNames()).contains("write");
                assertThat(Files.readString(h.project.resolve("AGENTS.md"))).isEqualTo(agentsMd);
                assertThat(llm.requests().get(1).toolResult("c1")).hasValueSatisfying(r -> assertThat(r).contains("AGENTS.md"));
                assertThat(h.api.messages(s.id()).getLast().parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                        t -> assertThat(t.text()).isEqualTo("Wrote AGENTS.md.")));
            }
        }
    }

    @Test
    void unknownMissingAndPointlessCommandsAreRefusedClearly() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var s = h.session();
            assertThatThrownBy(() -> h.api.command(s.id(), CommandRequest.of("frobnicate"))).isInstanceOfSatisfying(LatheException.class, e -> {
                assertThat(e).isInstanceOf(LatheException.NotFound.class);
                assertThat(e.getMessage()).isEqualTo("unknown command 'frobnicate'; available: compact, init, redo, review, undo");
            });
            // a session with no turns has nothing to summarise
            assertThatThrownBy(() -> h.api.command(s.id(), CommandRequest.of("compact"))).isInstanceOfSatisfying(LatheException.class, e -> {
                assertThat(e).isInstanceOf(LatheException.InvalidInput.class);
                assertThat(e.getMessage()).contains("nothing to compact");
            });
            assertStatus(LatheException.NotFound.class, () -> h.api.command(SessionId.next(), CommandRequest.of("undo")));
            // nothing to undo yet, and undo while a turn runs, are conflicts
            assertStatus(LatheException.Conflict.class, () -> h.api.command(s.id(), CommandRequest.of("undo")));
            h.llm.thenHang(text("..."));
            h.api.prompt(s.id(), PromptRequest.text("go"));
            h.llm.hanging.await();
            assertStatus(LatheException.Conflict.class, () -> h.api.command(s.id(), CommandRequest.of("undo")));
            h.api.abort(s.id());
            h.awaitIdle(s.id());
        }
    }

    @Test
    void templatesTakeTheArguments() {
        assertThat(PromptCommand.expand("Review $ARGUMENTS now", " the parser ")).isEqualTo("Review the parser now");
        assertThat(PromptCommand.expand("Move $1 to $2$3", "a.txt b/")).isEqualTo("Move a.txt to b/");
        assertThat(PromptCommand.expand("Explain the build.", "briefly")).isEqualTo("Explain the build.\n\nbriefly");
        assertThat(PromptCommand.expand("Explain the build.", "")).isEqualTo("Explain the build.");
        assertThat(Sessions.builtinCommands()).extracting(i -> i.name()).containsExactly("undo", "redo", "compact", "init", "review");
    }
}
