package dev.lathe.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolDisplay.CommandRun.Ending;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tool parts a Lathe before typed display data stored (metadata only) are given their display record by migration 6,
 * so an upgraded server shows old sessions as before: the rows are written as that version wrote them, the database
 * is set back to version 5, and opening it again migrates them.
 */
class ToolDisplayMigrationTest {
    @TempDir Path tmp;

    @Test
    void oldToolPartsGetTheDisplayTheirMetadataDescribed() {
        Path file = tmp.resolve("lathe.db");
        var sid = SessionId.next();
        Map<String, Part.Tool> legacy = new LinkedHashMap<>();
        MessageId answer;
        try (Db db = Db.open(file)) {
            var messages = SqliteStorage.over(db).messages();
            SqliteStorage.over(db).sessions().insert(new Session(sid, SqliteStorage.over(db).projects().idFor("/p"), "/p", Optional.empty(), "t", "build", "a/b", 1, 1,
                    Optional.empty(), Usage.ZERO, 0, Optional.empty()));
            var user = new UserMessage(MessageId.next(), sid, 1, "build", "a/b");
            messages.insertUser(user, List.of(new Part.Text(PartId.next(), sid, user.id(), "hi", false)));
            var assistant = new AssistantMessage(MessageId.next(), sid, user.id(), "build", "a/b", 2, Optional.empty(), Optional.empty(),
                    Optional.empty(), Usage.ZERO, 0);
            messages.upsertAssistant(assistant);
            answer = assistant.id();
            legacy.put("edit", tool(sid, answer, "edit", "{\"path\":\"a.txt\",\"oldString\":\"x\",\"newString\":\"y\"}", "Edited a.txt",
                    Map.of("path", "a.txt", "diff", "--- a/a.txt\n+++ b/a.txt\n-x\n+y\n")));
            legacy.put("patch", tool(sid, answer, "apply_patch", "{\"patchText\":\"…\"}", "Patch applied",
                    Map.of("files", "a.txt\nsrc/\"q\".txt", "diff", "d")));
            legacy.put("bash", tool(sid, answer, "bash", "{\"command\":\"make test\"}", "x\nexit code: 2", Map.of("exitCode", "2")));
            legacy.put("timeout", tool(sid, answer, "bash", "{\"command\":\"sleep 99\"}", "…", Map.of("exitCode", "timeout", "timedOut", "true")));
            legacy.put("background", tool(sid, answer, "bash", "{\"command\":\"npm run dev\",\"background\":true}", "started",
                    Map.of("backgroundId", "bg1", "pid", "42")));
            legacy.put("task", tool(sid, answer, "task", "{\"description\":\"Review\",\"prompt\":\"review it\",\"agent\":\"reviewer\"}",
                    "taskId: ses_1 (to continue this task later, pass it as taskId)\n\n<task_result>\nAll good.\n</task_result>",
                    Map.of("sessionId", "ses_1", "agent", "reviewer")));
            legacy.put("read", tool(sid, answer, "read", "{\"path\":\"src/A.java\"}", "1\tclass A {}", Map.of("path", "src/A.java", "lines", "1")));
            legacy.put("web", tool(sid, answer, "webfetch", "{\"url\":\"https://example.com\"}", "# Example",
                    Map.of("url", "https://example.com", "contentType", "text/html", "bytes", "9")));
            legacy.put("grep", tool(sid, answer, "grep", "{\"pattern\":\"x\"}", "a.txt:1:x", Map.of("matches", "1", "truncated", "false")));
            legacy.values().forEach(messages::upsertPart);
            // as a Lathe before migration 6 left it (the later ones run again over themselves)
            db.update("DELETE FROM schema_version WHERE version >= 6");
        }

        try (Db db = Db.open(file)) {
            Map<String, Optional<ToolDisplay>> shown = new LinkedHashMap<>();
            var byId = SqliteStorage.over(db).messages().parts(answer).stream().collect(java.util.stream.Collectors.toMap(Part::id, p -> p));
            legacy.forEach((name, part) -> shown.put(name, ((ToolState.Completed) ((Part.Tool) byId.get(part.id())).state()).display()));

            assertThat(shown).isEqualTo(expected());
            // the stored wire values are the lower_snake ones the protocol writes
            var endings = db.query("SELECT json_extract(data, '$.state.display.ending') FROM part WHERE json_extract(data, '$.state.display.ending') IS NOT NULL",
                    rs -> rs.getString(1));
            assertThat(endings).containsExactlyInAnyOrder("exited", "timed_out", "background");
            assertThat(db.query("SELECT json_extract(data, '$.state.display.continuation') FROM part WHERE json_extract(data, '$.state.display.continuation') IS NOT NULL",
                    rs -> rs.getString(1))).containsExactly("new_task");
            // nothing else of the parts changed
            legacy.forEach((name, part) -> {
                var migrated = (ToolState.Completed) ((Part.Tool) byId.get(part.id())).state();
                var before = (ToolState.Completed) part.state();
                assertThat(migrated.metadata()).isEqualTo(before.metadata());
                assertThat(migrated.output()).isEqualTo(before.output());
                assertThat(migrated.input()).isEqualTo(before.input());
            });
        }
    }

    private static Map<String, Optional<ToolDisplay>> expected() {
        Map<String, Optional<ToolDisplay>> out = new LinkedHashMap<>();
        out.put("edit", Optional.of(new ToolDisplay.FileChange(List.of("a.txt"), "--- a/a.txt\n+++ b/a.txt\n-x\n+y\n")));
        out.put("patch", Optional.of(new ToolDisplay.FileChange(List.of("a.txt", "src/\"q\".txt"), "d")));
        out.put("bash", Optional.of(ToolDisplay.CommandRun.exited("make test", 2)));
        out.put("timeout", Optional.of(new ToolDisplay.CommandRun("sleep 99", Ending.TIMED_OUT, Optional.empty())));
        out.put("background", Optional.of(new ToolDisplay.CommandRun("npm run dev", Ending.BACKGROUND, Optional.empty())));
        out.put("task", Optional.of(new ToolDisplay.SubagentRun("reviewer", "Review", ToolDisplay.SubagentRun.Continuation.NEW_TASK, "All good.")));
        out.put("read", Optional.of(new ToolDisplay.FileRead("src/A.java")));
        out.put("web", Optional.of(new ToolDisplay.WebPage("https://example.com", "text/html")));
        // a result whose metadata describes nothing to show stays without a display
        out.put("grep", Optional.empty());
        return out;
    }

    private static Part.Tool tool(SessionId session, MessageId message, String name, String input, String output, Map<String, String> metadata) {
        return new Part.Tool(PartId.next(), session, message, "call_" + name, name,
                new ToolState.Completed(new RawJson(input), output, name, metadata, 3, 4));
    }
}
