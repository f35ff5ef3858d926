package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.HistoryImportResult;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.testkit.ImportFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Formats users still have on disk from older versions, and images (DESIGN §21), on files the real tools wrote
 * (testkit/import-fixtures: Claude Code 1.0.128, OpenCode 1.1.65, Codex 0.169.0): Claude Code's subagent records
 * written into the main file, OpenCode's JSON-file storage, and pictures a session holds, kept as files the next
 * model is sent.
 */
class OlderFormatsImportTest {
    /** The 4×4 red PNG the fixture sessions hold (regenerate.sh writes it). */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg==";

    @TempDir Path tmp;

    private static HistoryImportRequest all(String source, Path project, HistoryImportRequest.Locations where) {
        return new HistoryImportRequest(source, Optional.of(project.toString()), Optional.empty(), true, Optional.empty(), where);
    }

    private static List<Part> parts(List<MessageWithParts> messages) {
        return messages.stream().flatMap(m -> m.parts().stream()).toList();
    }

    private static List<Part.Tool> tools(List<MessageWithParts> messages) {
        return parts(messages).stream().filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast).toList();
    }

    @Test
    void claudeCode10sInlineSubagentRecordsBecomeAChildSessionAndAReadPictureIsKept() throws Exception {
        try (var h = new Harness(tmp.resolve("h"), "", 10)) {
            Path config = tmp.resolve("claude");
            ImportFixtures.install("claude-code-1.0", config, h.project);
            var where = new HistoryImportRequest.Locations(Optional.empty(), Optional.of(config.toString()), Optional.empty(), Optional.empty());
            HistoryImportResult result = h.api.importHistory(all("claude-code", h.project, where));
            assertThat(result.problems()).isEmpty();
            assertThat(result.sessions()).hasSize(3);

            // the subagent's run, written into the main file (isSidechain), is a session of its own under the one that ran it
            var child = result.sessions().stream().filter(e -> e.parentSourceId().isPresent()).findFirst().orElseThrow();
            var parent = result.sessions().stream().filter(e -> e.sourceId().equals(child.parentSourceId().get())).findFirst().orElseThrow();
            assertThat(child.title()).isEqualTo("[scenario:sub] List the files here.");
            SessionId childId = new SessionId(child.sessionId().orElseThrow());
            SessionId parentId = new SessionId(parent.sessionId().orElseThrow());
            assertThat(h.api.session(childId).parentId()).contains(parentId);
            assertThat(tools(h.api.messages(childId))).extracting(Part.Tool::tool).containsExactly("glob");
            List<MessageWithParts> parentHistory = h.api.messages(parentId);
            assertThat(tools(parentHistory)).extracting(Part.Tool::tool).containsExactly("task");
            // the parent holds its own conversation only: the subagent's prompt is not one of its prompts
            assertThat(parentHistory.stream().filter(m -> m.info() instanceof UserMessage).flatMap(m -> m.parts().stream())
                    .filter(Part.Text.class::isInstance).map(p -> ((Part.Text) p).text())).containsExactly("[scenario:agent] Ask a subagent what is here.");

            // Read of a picture answered with the picture: kept as the call's attachment, and sent to the next model
            var image = result.sessions().stream().filter(e -> e.title().contains("pic.png") || e.sourceId().startsWith("2588")).findFirst().orElseThrow();
            SessionId imageId = new SessionId(image.sessionId().orElseThrow());
            Part.Tool read = tools(h.api.messages(imageId)).getFirst();
            assertThat(read.tool()).isEqualTo("read");
            var done = (ToolState.Completed) read.state();
            assertThat(done.attachments()).singleElement().satisfies(a -> {
                assertThat(a.mime()).isEqualTo("image/png");
                assertThat(a.url()).isEqualTo("data:image/png;base64," + PNG);
            });
            h.llm.then(text("Still red."), LlmEvent.Finished.ok(StopReason.STOP));
            h.promptAndWait(imageId, "and now?");
            assertThat(h.llm.requests.getFirst().messages().stream().flatMap(m -> m.content().stream()))
                    .anySatisfy(c -> assertThat(c).isEqualTo(new Content.Image("image/png", PNG)));
        }
    }

    @Test
    void openCode11sJsonFileStorageIsImportedLikeItsDatabase() throws Exception {
        try (var h = new Harness(tmp.resolve("h"), "", 10)) {
            Path dataHome = tmp.resolve("data");
            ImportFixtures.install("opencode-1.1", dataHome.resolve("opencode"), h.project);
            assertThat(dataHome.resolve("opencode/storage/session")).isDirectory();
            assertThat(dataHome.resolve("opencode/opencode.db")).doesNotExist();
            var where = new HistoryImportRequest.Locations(Optional.empty(), Optional.empty(), Optional.of(dataHome.toString()), Optional.empty());

            var listed = h.api.importHistory(new HistoryImportRequest("opencode", Optional.of(h.project.toString()), Optional.empty(), false,
                    Optional.empty(), where));
            assertThat(listed.sessions()).hasSize(2).allSatisfy(e -> assertThat(e.outcome()).isEqualTo("found"));

            HistoryImportResult result = h.api.importHistory(all("opencode", h.project, where));
            assertThat(result.problems()).isEmpty();
            assertThat(result.sessions()).extracting(HistoryImportResult.Entry::outcome).containsOnly("imported").hasSize(2);
            var toolSession = result.sessions().getFirst();
            List<MessageWithParts> history = h.api.messages(new SessionId(toolSession.sessionId().orElseThrow()));
            List<Part.Tool> calls = tools(history);
            assertThat(calls).extracting(Part.Tool::tool).containsExactly("bash", "read", "edit");
            assertThat(((ToolState.Completed) calls.getFirst().state()).output()).contains("note.txt");
            assertThat(calls.get(1).input().json()).contains("\"path\":\"" + h.project.resolve("note.txt") + "\"");
            // (OpenCode 1.1's run stored its prompt argument in quotes, as written here)
            assertThat(parts(history)).filteredOn(Part.Text.class::isInstance).extracting(p -> ((Part.Text) p).text())
                    .contains("\"[scenario:tools] Make a note file.\"\n", "Done: note.txt now says hello world.");

            // the picture attached with -f is a file part of the prompt
            List<Part> look = parts(h.api.messages(new SessionId(result.sessions().get(1).sessionId().orElseThrow())));
            assertThat(look).filteredOn(Part.File.class::isInstance).singleElement().satisfies(p -> {
                var f = (Part.File) p;
                assertThat(f.name()).isEqualTo("pic.png");
                assertThat(f.url()).isEqualTo("data:image/png;base64," + PNG);
            });
            // again: nothing new; a file that is no longer JSON is reported with its name, the rest still read
            assertThat(h.api.importHistory(all("opencode", h.project, where)).sessions()).extracting(HistoryImportResult.Entry::outcome)
                    .containsOnly("unchanged");
            Path aPart;
            try (var s = Files.walk(dataHome.resolve("opencode/storage/part"))) {
                aPart = s.filter(p -> p.toString().endsWith(".json")).sorted().findFirst().orElseThrow();
            }
            Files.writeString(aPart, "{\"id\": \"prt_cut");
            var again = h.api.importHistory(all("opencode", h.project, where));
            assertThat(again.problems()).anySatisfy(p -> assertThat(p).startsWith(aPart.toString()));
            assertThat(again.sessions()).hasSize(2);
        }
    }

    @Test
    void anImageAttachedToACodexPromptIsAFilePartOfThatPrompt() throws Exception {
        try (var h = new Harness(tmp.resolve("h"), "", 10)) {
            Path codexHome = tmp.resolve("codex");
            ImportFixtures.install("codex-image", codexHome, h.project);
            var result = h.api.importHistory(all("codex", h.project, new HistoryImportRequest.Locations(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(codexHome.toString()))));
            SessionId id = new SessionId(result.sessions().getFirst().sessionId().orElseThrow());
            List<MessageWithParts> history = h.api.messages(id);
            MessageWithParts prompt = history.stream().filter(m -> m.info() instanceof UserMessage).findFirst().orElseThrow();
            assertThat(prompt.parts()).filteredOn(Part.Text.class::isInstance).extracting(p -> ((Part.Text) p).text())
                    .containsExactly("[scenario:look] What is in this picture?");
            assertThat(prompt.parts()).filteredOn(Part.File.class::isInstance).singleElement().satisfies(p -> {
                var f = (Part.File) p;
                assertThat(f.mime()).isEqualTo("image/png");
                assertThat(f.name()).isEqualTo("pic.png");
                assertThat(f.url()).isEqualTo("data:image/png;base64," + PNG);
            });
            h.llm.then(text("Still red."), LlmEvent.Finished.ok(StopReason.STOP));
            h.promptAndWait(id, "and now?");
            assertThat(h.llm.requests.getFirst().messages().stream().flatMap(m -> m.content().stream()))
                    .anySatisfy(c -> assertThat(c).isEqualTo(new Content.Image("image/png", PNG)));
        }
    }
}
