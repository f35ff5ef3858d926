package dev.lathe.core.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.session.AssistantMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decision 640 at the reader: a Claude Code file Lathe exported (its records marked) and Claude Code continued reads as
 * that Lathe session, the messages of Lathe's records counted as exported and named with Lathe's model; a mark of
 * another shape is no mark.
 */
class LatheMarkTest {
    private static final String ID = "11111111-2222-4333-8444-555555555555";

    @TempDir Path tmp;

    private static String record(String type, String uuid, String parent, String message, String mark) {
        return "{\"parentUuid\":" + (parent == null ? "null" : "\"" + parent + "\"") + ",\"isSidechain\":false,\"type\":\"" + type + "\",\"message\":"
                + message + ",\"uuid\":\"" + uuid + "\",\"timestamp\":\"2026-11-29T10:00:0" + uuid.charAt(0) + ".000Z\",\"cwd\":\"/srv/p\",\"sessionId\":\"" + ID
                + "\"" + mark + "}\n";
    }

    private static String answer(String id, String model, String text) {
        return "{\"id\":\"" + id + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model + "\",\"content\":[{\"type\":\"text\",\"text\":\""
                + text + "\"}],\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}";
    }

    private Transcript read(String session, String model) throws Exception {
        String mark = ",\"lathe\":{\"session\":\"" + session + "\"}";
        String answerMark = ",\"lathe\":{\"session\":\"" + session + "\",\"model\":\"" + model + "\"}";
        Path file = tmp.resolve(ID + ".jsonl");
        Files.writeString(file, record("user", "1", null, "{\"role\":\"user\",\"content\":\"from lathe\"}", mark)
                + record("assistant", "2", "1", answer("msg_lathe1", "fake-model", "lathe answered"), answerMark)
                + "{\"type\":\"custom-title\",\"customTitle\":\"t\",\"sessionId\":\"" + ID + "\"}\n"
                + record("user", "3", "2", "{\"role\":\"user\",\"content\":\"in claude\"}", "")
                + record("assistant", "4", "3", answer("msg_cc", "claude-sonnet-4-5", "claude answered"), ""));
        List<String> problems = new ArrayList<>();
        Transcript t = ClaudeCodeHistory.read(file, problems);
        assertThat(problems).isEmpty();
        return t;
    }

    private static List<String> models(Transcript t) {
        return t.messages().stream().map(m -> m.info()).filter(AssistantMessage.class::isInstance).map(m -> ((AssistantMessage) m).model()).toList();
    }

    @Test
    void anExportContinuedInClaudeCodeIsTheLatheSessionWithWhatClaudeCodeAdded() throws Exception {
        Transcript t = read("ses_0123456789abcdefABCDEF0123", "fake/fake-model");
        assertThat(t.session().id().value()).isEqualTo("ses_0123456789abcdefABCDEF0123");
        assertThat(t.messages()).hasSize(4);
        assertThat(t.exported()).isEqualTo(2);
        assertThat(t.added()).hasSize(2);
        assertThat(t.added().getFirst().parts().toString()).contains("in claude");
        assertThat(models(t)).containsExactly("fake/fake-model", "anthropic/claude-sonnet-4-5");
        assertThat(t.messages()).allSatisfy(m -> assertThat(m.info().sessionId().value()).isEqualTo("ses_0123456789abcdefABCDEF0123"));
    }

    @Test
    void aMarkOfAnotherShapeIsReadAsClaudeCodesOwn() throws Exception {
        Transcript t = read("ses_../../other", "fake/\\u001b[31mred");
        assertThat(t.session().id().value()).isNotEqualTo("ses_../../other");
        assertThat(t.exported()).isZero();
        assertThat(t.added()).hasSize(4);
        assertThat(models(t)).containsExactly("anthropic/fake-model", "anthropic/claude-sonnet-4-5");
    }
}
