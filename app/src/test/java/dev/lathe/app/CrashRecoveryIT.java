package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a streamed answer: after a restart the completed parts are there, nothing is left
 * pending or running, and the session takes a new prompt.
 */
class CrashRecoveryIT {
    @TempDir Path home;

    @Test
    void aKilledRunLosesNoCompletedPartAndTheSessionWorksAfterRestart() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("notes.txt", "remember the milk\n").initGitRepo();
            llm.enqueue(Turn.of(Step.text("Reading your notes."), Step.toolCall("c1", "read", "{\"path\":\"notes.txt\"}")));
            llm.enqueue(Turn.of(Step.text("The notes say to remember the milk. " + "Here is a very long explanation. ".repeat(40)))
                    .delayBetweenEvents(Duration.ofMillis(50)));
            var lathe = new Lathe(home, Lathe.providerConfig("anthropic-messages", llm.baseUrl(), "sk-x"));

            Process run = lathe.command("run", "--dir", ws.path().toString(), "--allow-all", "summarise my notes")
                    .redirectOutput(home.resolve("run.out").toFile()).redirectError(home.resolve("run.err").toFile()).start();
            assertThat(llm.awaitRequests(2, Duration.ofSeconds(60))).as("second request").isTrue();
            Thread.sleep(800); // well into the streamed answer, past at least one 250 ms flush
            run.destroyForcibly(); // SIGKILL
            assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();

            // the first command after the crash opens the database in its own process and repairs it: its note goes to
            // the log file, never between the command's output on the terminal
            var sessions = lathe.run("sessions", "--dir", ws.path().toString());
            assertThat(sessions.exit()).as(sessions.stderr()).isZero();
            assertThat(sessions.stderr()).isEmpty();
            assertThat(Files.readString(lathe.home().resolve("state/lathe/lathe.log")))
                    .containsPattern("INFO dev\\.lathe\\.core\\.\\w+: repaired \\d+ parts/messages left open by an earlier crash");

            Process serve = lathe.command("serve").redirectError(home.resolve("serve.err").toFile())
                    .redirectOutput(home.resolve("serve.out").toFile()).start();
            try {
                var endpoint = DaemonIT.awaitServer(lathe.serverJson(), serve);
                try (var client = HttpLatheClient.connect(endpoint, Optional.of(ws.path().toString()))) {
                    var session = client.sessions(ws.path().toString()).getFirst();
                    List<MessageWithParts> history = client.messages(session.id());

                    var parts = history.stream().flatMap(m -> m.parts().stream()).toList();
                    assertThat(parts).filteredOn(Part.Tool.class::isInstance).singleElement().satisfies(p -> {
                        var state = ((Part.Tool) p).state();
                        assertThat(state).isInstanceOfSatisfying(ToolState.Completed.class, c -> assertThat(c.output()).contains("remember the milk"));
                    });
                    assertThat(parts).filteredOn(Part.Tool.class::isInstance)
                            .noneMatch(p -> ((Part.Tool) p).state() instanceof ToolState.Pending || ((Part.Tool) p).state() instanceof ToolState.Running);
                    assertThat(parts).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                            t -> assertThat(t.text()).startsWith("The notes say")));
                    var assistant = (AssistantMessage) history.getLast().info();
                    assertThat(assistant.completedAt()).isPresent();
                    assertThat(assistant.error()).hasValueSatisfying(e -> assertThat(e.kind()).isEqualTo("interrupted"));
                    assertThat(client.status(session.id())).isInstanceOf(SessionStatus.Idle.class);

                    llm.enqueue(Turn.of(Step.text("Back again.")));
                    client.prompt(session.id(), PromptRequest.text("are you there?"));
                    awaitAnswer(client, session.id());
                    var last = client.messages(session.id()).getLast();
                    assertThat(((AssistantMessage) last.info()).finish()).contains("stop");
                    assertThat(last.parts()).anySatisfy(p -> assertThat(p).isInstanceOfSatisfying(Part.Text.class,
                            t -> assertThat(t.text()).isEqualTo("Back again.")));
                }
            } finally {
                serve.destroy(); // SIGTERM: the server removes server.json on its way out
                assertThat(serve.waitFor(15, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(lathe.serverJson()).doesNotExist();
        }
    }

    private static void awaitAnswer(HttpLatheClient client, dev.lathe.protocol.SessionId id) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            var history = client.messages(id);
            if (history.getLast().info() instanceof AssistantMessage a && a.completedAt().isPresent()) return;
            Thread.sleep(100);
        }
        throw new AssertionError("no answer");
    }
}
