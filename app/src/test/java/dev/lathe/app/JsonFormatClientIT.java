package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.TempWorkspace;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe run --format json} as a client of the user's daemon loads nothing the text format does not need (issue
 * 86): its events and result line are written by {@code RecordWriter}, never by the data-binding mapper, whose ~750
 * classes outside the client's AOT cache cost the JSON format 0.14 s before its first model request (decision 646). Seen
 * by the JVM's own class-loading log of the client process, not by timing.
 */
class JsonFormatClientIT {
    @TempDir Path home;

    @Test
    void theJsonFormatClientLoadsNoDataBindingMapper() throws Exception {
        try (var llm = FakeLlm.start(); var ws = TempWorkspace.create()) {
            ws.write("a.txt", "alpha\n").initGitRepo();
            String config = Lathe.providerConfig("openai-chat", llm.baseUrl(), "sk-json-client");
            var lathe = new Lathe(home, config).daemonFirst();
            try {
                // the first run starts the daemon, so the measured runs below are clients of a running one
                llm.enqueue(Turn.of(Step.text("warm")));
                var warm = lathe.run("run", "--dir", ws.path().toString(), "hello");
                assertThat(warm.exit()).as(warm.stderr()).isZero();
                long daemon = lathe.server().orElseThrow().pid();

                Path jsonLog = home.resolve("json-classes.log");
                llm.enqueue(Turn.of(Step.toolCall("r1", "read", "{\"path\":\"a.txt\"}")).finish("tool_calls"));
                llm.enqueue(Turn.of(Step.text("It says alpha.")));
                var json = new Lathe(home, config).daemonFirst().withJvmFlags(List.of("-Xlog:class+load=info:file=" + jsonLog))
                        .run("run", "--dir", ws.path().toString(), "--format", "json", "what is in a.txt?");
                assertThat(json.exit()).as(json.stderr()).isZero();
                assertThat(lathe.server().orElseThrow().pid()).as("a client of the same daemon").isEqualTo(daemon);
                List<String> lines = json.stdout().lines().toList();
                assertThat(RunIT.JSON.readTree(lines.getLast()).path("text").asString()).isEqualTo("It says alpha.");
                assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"type\":\"message.part.updated\"").contains("\"tool\":\"read\""));

                List<String> loaded = Files.readAllLines(jsonLog);
                assertThat(loaded).as("the data-binding mapper and the server's writer stay out of the client")
                        .noneMatch(l -> l.contains(" tools.jackson.databind.ObjectMapper ") || l.contains(" tools.jackson.databind.json.JsonMapper ")
                                || l.contains(" dev.lathe.protocol.wire.WireJson "));
                // and the log sees the JSON path: its writer was loaded
                assertThat(loaded).anyMatch(l -> l.contains(" dev.lathe.protocol.wire.RecordWriter "));
            } finally {
                lathe.stopDaemon();
            }
        }
    }
}
