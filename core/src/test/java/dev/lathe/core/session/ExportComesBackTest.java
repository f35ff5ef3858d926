package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.api.HarnessExportRequest;
import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.HistoryImportResult;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decision 640 where the Lathe session is gone (deleted here; on another machine, never there): the Claude Code file
 * its export made, continued there, is stored whole as a session under the exported session's id, Lathe's answers under
 * Lathe's model, marked imported; importing again adds nothing.
 */
class ExportComesBackTest {
    @TempDir Path tmp;

    @Test
    void anExportWhoseSessionIsGoneComesBackWholeUnderItsId() throws Exception {
        try (var h = new Harness(tmp.resolve("h"), "", 10)) {
            Session s = h.session(h.project);
            h.llm.then(text("LATHE-ANSWER"), LlmEvent.Finished.ok(StopReason.STOP));
            h.promptAndWait(s.id(), "from lathe");
            var where = new HistoryImportRequest.Locations(Optional.empty(), Optional.of(tmp.resolve("claude").toString()), Optional.empty(), Optional.empty());
            var exported = h.api.exportTo(s.id(), new HarnessExportRequest("claude-code", Optional.empty(), where));
            Path file = Path.of(exported.file());
            String last = Files.readAllLines(file).stream().filter(l -> l.contains("\"uuid\"")).reduce((a, b) -> b).orElseThrow();
            String parent = last.replaceAll(".*\"uuid\":\"([^\"]+)\".*", "$1");
            String cwd = h.project.toString();
            Files.writeString(file, "{\"parentUuid\":\"" + parent + "\",\"isSidechain\":false,\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"in claude\"},"
                    + "\"uuid\":\"c1\",\"timestamp\":\"2099-01-01T00:00:00.000Z\",\"cwd\":\"" + cwd + "\",\"sessionId\":\"" + exported.id() + "\"}\n"
                    + "{\"parentUuid\":\"c1\",\"isSidechain\":false,\"type\":\"assistant\",\"message\":{\"id\":\"msg_cc\",\"type\":\"message\",\"role\":\"assistant\","
                    + "\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\",\"text\":\"CLAUDE-ANSWER\"}],\"usage\":{\"input_tokens\":5,\"output_tokens\":2}},"
                    + "\"uuid\":\"c2\",\"timestamp\":\"2099-01-01T00:00:01.000Z\",\"cwd\":\"" + cwd + "\",\"sessionId\":\"" + exported.id() + "\"}\n",
                    StandardOpenOption.APPEND);
            h.api.deleteSession(s.id());

            var all = new HistoryImportRequest("claude-code", Optional.of(cwd), Optional.empty(), true, Optional.empty(), where);
            HistoryImportResult first = h.api.importHistory(all);
            assertThat(first.sessions()).singleElement().satisfies(e -> {
                assertThat(e.outcome()).isEqualTo("imported");
                assertThat(e.sessionId()).contains(s.id().value());
            });
            assertThat(h.api.session(s.id()).importedFrom()).contains("claude-code");
            List<MessageWithParts> messages = h.api.messages(s.id());
            assertThat(messages.toString()).contains("from lathe").contains("LATHE-ANSWER").contains("in claude").contains("CLAUDE-ANSWER");
            assertThat(messages.stream().map(MessageWithParts::info).filter(AssistantMessage.class::isInstance).map(m -> ((AssistantMessage) m).model()))
                    .containsExactly("fake/m", "anthropic/claude-sonnet-4-5");

            assertThat(h.api.importHistory(all).sessions()).extracting(HistoryImportResult.Entry::outcome).containsExactly("unchanged");
            assertThat(h.api.messages(s.id())).hasSize(messages.size());
        }
    }
}
