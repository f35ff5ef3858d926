package dev.lathe.core.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Attachment;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * The records and rows an export writes (the real tools read them back in HarnessExportIT): a prompt, a step with an
 * edit and a failed call, a picture a tool answered with, reasoning; every secret masked, call ids as Anthropic takes
 * them, each result after its step's calls, what cannot be carried named.
 */
class ExportedTranscriptsTest {
    private static final String SECRET = "sk-live-abcdefghijkl";
    private static final SessionId SESSION = SessionId.next();
    private static final String PNG = "data:image/png;base64,iVBORw0KGgo=";

    private static List<MessageWithParts> conversation() {
        MessageId prompt = MessageId.next();
        MessageId answer = MessageId.next();
        var user = new UserMessage(prompt, SESSION, 1_000, "build", "anthropic/claude-sonnet-4-5");
        var assistant = new AssistantMessage(answer, SESSION, prompt, "build", "anthropic/claude-sonnet-4-5", 2_000, Optional.of(3_000L),
                Optional.of("stop"), Optional.empty(), new Usage(10, 5, 0, 0, 0), 1_500);
        List<Part> answerParts = List.of(
                new Part.Reasoning(PartId.next(), SESSION, answer, "thinking", Map.of("signature", "x")),
                new Part.Text(PartId.next(), SESSION, answer, "Editing " + SECRET, false),
                new Part.Tool(PartId.next(), SESSION, answer, "functions.edit:0", "edit", new ToolState.Completed(new RawJson(
                        "{\"path\":\"a.txt\",\"oldString\":\"x\",\"newString\":\"" + SECRET + "\"}"), "edited", "a.txt", Map.of(), 2_100, 2_200,
                        List.of(new Attachment("image/png", "shot.png", PNG)))),
                new Part.Tool(PartId.next(), SESSION, answer, "call_2", "bash", new ToolState.Failed(new RawJson("{\"command\":\"false\"}"), "exit 1",
                        2_300, 2_400, Optional.empty(), Optional.empty())),
                new Part.Text(PartId.next(), SESSION, answer, "Done.", false));
        return List.of(new MessageWithParts(user, List.of(new Part.Text(PartId.next(), SESSION, prompt, "change a.txt", false),
                new Part.Text(PartId.next(), SESSION, prompt, "<environment>\nWorking folder: /srv/x\n</environment>", true),
                new Part.File(PartId.next(), SESSION, prompt, "application/pdf", "spec.pdf", "data:application/pdf;base64,JVBERi0="))),
                new MessageWithParts(assistant, answerParts));
    }

    private static ExportSource source() {
        var session = new Session(SESSION, ProjectId.next(), "/srv/x", Optional.empty(), "Title " + SECRET, "build", "anthropic/claude-sonnet-4-5",
                1_000, 3_000, Optional.empty(), Usage.ZERO, 0, Optional.empty());
        return new ExportSource(session, conversation(), List.of(), t -> t.replace(SECRET, "***"));
    }

    @Test
    void claudeCodeRecordsChainEachBlockAndItsResults() {
        NotCarried notCarried = new NotCarried();
        var t = new ClaudeCodeTranscript("uuid-1", "ses_exported", "/srv/x", Optional.of("2.1.330"), Optional.empty(), source().mask(), notCarried);
        conversation().forEach(t::add);
        t.title("Title " + SECRET);
        List<ObjectNode> records = t.records();
        String all = records.toString();
        assertThat(all).doesNotContain(SECRET).doesNotContain("<environment>").contains("\"new_string\":\"***\"").contains("\"file_path\":\"a.txt\"").contains("\"name\":\"Edit\"");
        assertThat(records).extracting(r -> r.path("type").asString())
                .containsExactly("user", "assistant", "assistant", "assistant", "user", "user", "assistant", "custom-title");
        // a chain from null: each record's parent is the record before it
        assertThat(records.getFirst().path("parentUuid").isNull()).isTrue();
        for (int i = 1; i < records.size() - 1; i++) {
            assertThat(records.get(i).path("parentUuid").asString()).isEqualTo(records.get(i - 1).path("uuid").asString());
        }
        ObjectNode edit = records.get(2);
        assertThat(edit.path("message").path("content").get(0).path("id").asString()).isEqualTo("functions_edit_0");
        ObjectNode result = records.get(4);
        assertThat(result.path("message").path("content").get(0).path("tool_use_id").asString()).isEqualTo("functions_edit_0");
        assertThat(result.path("message").path("content").get(0).path("content").get(1).path("type").asString()).isEqualTo("image");
        assertThat(result.path("sourceToolAssistantUUID").asString()).isEqualTo(records.get(3).path("uuid").asString());
        assertThat(records.get(5).path("message").path("content").get(0).path("is_error").asBoolean()).isTrue();
        assertThat(records.get(6).path("message").path("id").asString()).isNotEqualTo(edit.path("message").path("id").asString());
        assertThat(edit.path("message").path("model").asString()).isEqualTo("claude-sonnet-4-5");
        // decision 640: every chained record names the Lathe session it is; an answer also its provider and model
        for (ObjectNode r : records.subList(0, records.size() - 1)) assertThat(r.path("lathe").path("session").asString()).isEqualTo("ses_exported");
        assertThat(edit.path("lathe").path("model").asString()).isEqualTo("anthropic/claude-sonnet-4-5");
        assertThat(records.getFirst().path("lathe").has("model")).isFalse();
        assertThat(notCarried.lines()).anySatisfy(l -> assertThat(l).startsWith("reasoning"))
                .anySatisfy(l -> assertThat(l).contains("application/pdf").contains("spec.pdf"));
    }

    /** A subagent's session goes beside the transcript, its meta naming the call that ran it; nothing is left half-written. */
    @Test
    void claudeCodeGetsTheTranscriptAndTheSubagentsFilesInTheFolderItsFirstRunWouldMake(@TempDir Path home) throws Exception {
        var where = new HistoryImportRequest.Locations(Optional.of(home.toString()), Optional.empty(), Optional.empty(), Optional.empty());
        Path project = Files.createDirectories(home.resolve("proj")).toRealPath();
        SessionId childId = SessionId.next();
        var child = new ExportSource(new Session(childId, ProjectId.next(), project.toString(), Optional.of(SESSION), "List files", "explore",
                "anthropic/claude-sonnet-4-5", 1_000, 2_000, Optional.empty(), Usage.ZERO, 0, Optional.empty()), List.of(), List.of(), t -> t);
        var parent = new ExportSource(source().session(), source().messages(), List.of(child), source().mask());

        // a path past Claude Code's cut ends in a hash of its own: refused unless Claude Code made that folder
        Path deep = Files.createDirectories(home.resolve("d".repeat(120)).resolve("e".repeat(120))).toRealPath();
        assertThat(catchThrowable(() -> ClaudeCodeWriter.write(parent, deep, where)))
                .hasMessageContaining("with a hash of its own: run claude in " + deep + " once");
        // issue 82: Claude Code never ran here: its folder for the project is made as its first run would make it
        Path folder = home.resolve(".claude/projects").resolve(project.toString().replaceAll("[^a-zA-Z0-9]", "-"));

        var result = ClaudeCodeWriter.write(parent, project, where);
        assertThat(result.file()).isEqualTo(folder.resolve(result.id() + ".jsonl").toString());
        try (var files = Files.walk(folder)) {
            assertThat(files.map(f -> folder.relativize(f).toString()).filter(f -> !f.isEmpty()).sorted().toList()).hasSize(5)
                    .allSatisfy(f -> assertThat(f).doesNotContain(".lathe-export-")).contains(result.id() + ".jsonl", result.id() + "/subagents");
        }
        Path subagents = folder.resolve(result.id() + "/subagents");
        try (var files = Files.list(subagents)) {
            String meta = files.filter(f -> f.toString().endsWith(".meta.json")).findFirst().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).orElseThrow();
            assertThat(meta).contains("\"agentType\":\"explore\"").contains("\"description\":\"List files\"");
        }
    }

    @Test
    void openCodeRowsKeepOrderAndNameTheChild() {
        NotCarried notCarried = new NotCarried();
        var rows = new OpenCodeRows("/srv/x", notCarried);
        String id = rows.add(source(), Optional.empty());
        assertThat(id).matches("ses_[0-9a-f]{12}[0-9A-Za-z]{14}");
        assertThat(rows.sessions.getFirst().title()).isEqualTo("Title ***");
        assertThat(rows.messages).hasSize(2);
        assertThat(rows.messages.get(1).data().path("parentID").asString()).isEqualTo(rows.messages.get(0).id());
        assertThat(rows.messages.get(1).data().path("providerID").asString()).isEqualTo("anthropic");
        assertThat(rows.parts).extracting(p -> p.data().path("type").asString()).containsExactly("text", "file", "text", "tool", "tool", "text");
        assertThat(rows.parts.stream().map(p -> p.id()).toList()).isSorted();
        assertThat(rows.parts.toString()).doesNotContain(SECRET).doesNotContain("<environment>").contains("\"filePath\":\"a.txt\"").contains("\"status\":\"error\"");
        assertThat(notCarried.lines()).singleElement().asString().startsWith("reasoning");
    }
}
