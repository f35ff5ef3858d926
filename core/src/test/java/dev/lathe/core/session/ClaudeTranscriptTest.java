package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.core.transcript.TranscriptFiles;
import dev.lathe.llm.Protocols;
import dev.lathe.protocol.session.Session;
import dev.lathe.testkit.FakeLlm;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transcript a hook reads at {@code transcript_path}: a real session with a tool call, written in Claude Code's
 * JSONL shapes, then extended by appending as the session goes on.
 */
class ClaudeTranscriptTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;

    private static List<JsonNode> lines(Path file) throws Exception {
        return Files.readAllLines(file).stream().map(JSON::readTree).toList();
    }

    @Test
    void aSessionWithAToolCallIsWrittenInClaudeCodesShapesAndExtendedByAppending() throws Exception {
        String config = "{\"model\": \"fake/m\", \"permission\": {\"edit\": \"allow\"}, \"provider\": {\"fake\": {\"protocol\": \"openai-chat\","
                + " \"baseUrl\": \"%s\", \"models\": {\"m\": {\"context\": 100000, \"output\": 4000}}}}}";
        try (var llm = FakeLlm.start(); var h = new Harness(tmp, config.formatted(llm.baseUrl()), 20, Protocols.standard(HttpClient.newHttpClient()))) {
            Files.writeString(h.project.resolve("a.txt"), "alpha\n");
            llm.enqueue(Turn.of(Step.text("Let me fix it."), Step.toolCall("call_1", "edit",
                    "{\"path\":\"a.txt\",\"oldString\":\"alpha\",\"newString\":\"beta\"}")).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("Fixed.")));
            Session s = h.session();
            h.promptAndWait(s.id(), "fix a.txt");

            var files = new TranscriptFiles(tmp.resolve("state/transcripts"), SqliteStorage.over(h.db).sessions(), SqliteStorage.over(h.db).messages(), "9.9.9");
            Path file = files.sync(s.id());

            assertThat(file).isEqualTo(tmp.resolve("state/transcripts/" + s.id().value() + ".jsonl"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            List<JsonNode> lines = lines(file);
            assertThat(lines).extracting(l -> l.path("type").asString()).containsExactly("user", "assistant", "assistant", "user", "assistant");
            for (int i = 0; i < lines.size(); i++) {
                JsonNode l = lines.get(i);
                assertThat(l.path("sessionId").asString()).isEqualTo(s.id().value());
                assertThat(l.path("cwd").asString()).isEqualTo(s.directory());
                assertThat(l.path("version").asString()).isEqualTo("9.9.9");
                assertThat(l.path("isSidechain").asBoolean(true)).isFalse();
                assertThat(l.path("userType").asString()).isEqualTo("external");
                assertThat(l.path("timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
                assertThat(l.path("uuid").asString()).matches("[0-9a-f-]{36}");
                if (i == 0) assertThat(l.get("parentUuid").isNull()).isTrue();
                else assertThat(l.path("parentUuid").asString()).isEqualTo(lines.get(i - 1).path("uuid").asString());
            }
            assertThat(lines.get(0).path("message").toString()).isEqualTo("{\"role\":\"user\",\"content\":\"fix a.txt\"}");
            JsonNode text = lines.get(1).path("message");
            assertThat(text.path("role").asString()).isEqualTo("assistant");
            assertThat(text.path("model").asString()).isEqualTo("m");
            assertThat(text.path("content").toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"Let me fix it.\"}]");
            JsonNode use = lines.get(2).path("message");
            assertThat(use.path("id").asString()).isEqualTo(text.path("id").asString()).as("one step, one message id");
            assertThat(use.path("content").toString()).isEqualTo("[{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"Edit\",\"input\":{\"file_path\":\"" + h.project.resolve("a.txt") + "\","
                    + "\"old_string\":\"alpha\",\"new_string\":\"beta\"}}]");
            JsonNode result = lines.get(3).path("message").path("content").get(0);
            assertThat(lines.get(3).path("message").path("role").asString()).isEqualTo("user");
            assertThat(result.path("type").asString()).isEqualTo("tool_result");
            assertThat(result.path("tool_use_id").asString()).isEqualTo("call_1");
            assertThat(result.path("is_error").asBoolean(true)).isFalse();
            assertThat(result.path("content").asString()).contains("a.txt");
            assertThat(lines.get(4).path("message").path("content").toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"Fixed.\"}]");
            assertThat(lines.get(4).path("message").path("id").asString()).isNotEqualTo(text.path("id").asString());

            // the next turn's lines are appended: the first five lines stay byte for byte
            String before = Files.readString(file);
            llm.enqueue(Turn.of(Step.toolCall("call_2", "read", "{\"path\":\"missing.txt\"}")).finish("tool_calls"));
            llm.enqueue(Turn.of(Step.text("It is not there.")));
            h.promptAndWait(s.id(), "read missing.txt");
            files.sync(s.id());
            String after = Files.readString(file);
            assertThat(after).startsWith(before);
            List<JsonNode> more = lines(file).subList(5, lines(file).size());
            assertThat(more).extracting(l -> l.path("type").asString()).containsExactly("user", "assistant", "user", "assistant");
            assertThat(more.get(1).path("message").path("content").get(0).path("name").asString()).isEqualTo("Read");
            assertThat(more.get(1).path("message").path("content").get(0).path("input").toString()).as("paths absolute, as Claude Code writes them")
                    .isEqualTo("{\"file_path\":\"" + h.project.resolve("missing.txt") + "\"}");
            assertThat(more.get(2).path("message").path("content").get(0).path("is_error").asBoolean()).isTrue();
            assertThat(more.get(0).path("parentUuid").asString()).isEqualTo(lines.get(4).path("uuid").asString());

            // a file changed behind its back is written afresh, never appended to
            Files.writeString(file, "garbage\n");
            files.sync(s.id());
            assertThat(Files.readString(file)).isEqualTo(after);
        }
    }
}
