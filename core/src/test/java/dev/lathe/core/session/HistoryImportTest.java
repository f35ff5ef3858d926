package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.HistoryImportResult;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.ImportFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions real Claude Code, Codex and OpenCode wrote (testkit/import-fixtures), imported and continued (DESIGN §21). */
class HistoryImportTest {
    @TempDir Path tmp;

    private static HistoryImportRequest all(String source, Path project, HistoryImportRequest.Locations where) {
        return new HistoryImportRequest(source, Optional.of(project.toString()), Optional.empty(), true, Optional.empty(), where);
    }

    private static HistoryImportRequest.Locations claude(Path dir) {
        return new HistoryImportRequest.Locations(Optional.empty(), Optional.of(dir.toString()), Optional.empty(), Optional.empty());
    }

    private static List<Part.Tool> tools(List<MessageWithParts> messages) {
        return messages.stream().flatMap(m -> m.parts().stream()).filter(Part.Tool.class::isInstance).map(Part.Tool.class::cast).toList();
    }

    @Test
    void claudeCodeSessionsAreImportedOnceAndContinueWithTheirToolCallsAndResults() throws Exception {
        try (var h = new Harness(tmp.resolve("h"), "", 10)) {
            Path config = tmp.resolve("claude");
            ImportFixtures.claudeCode(config, h.project);
            HistoryImportResult first = h.api.importHistory(all("claude-code", h.project, claude(config)));
            // three sessions and the subagent's, a child of the session that ran it
            assertThat(first.sessions()).extracting(HistoryImportResult.Entry::outcome).containsOnly("imported").hasSize(4);
            assertThat(first.problems()).isEmpty();
            HistoryImportResult.Entry child = first.sessions().stream().filter(e -> e.parentSourceId().isPresent()).findFirst().orElseThrow();
            HistoryImportResult.Entry parent = first.sessions().stream().filter(e -> e.sourceId().equals(child.parentSourceId().get())).findFirst().orElseThrow();
            assertThat(h.api.session(new SessionId(child.sessionId().orElseThrow())).parentId()).contains(new SessionId(parent.sessionId().orElseThrow()));
            assertThat(tools(h.api.messages(new SessionId(child.sessionId().get())))).extracting(Part.Tool::tool).containsExactly("bash");
            assertThat(tools(h.api.messages(new SessionId(parent.sessionId().get())))).extracting(Part.Tool::tool).containsExactly("task");
            int stored = h.api.sessions(h.project.toString()).size();
            assertThat(stored).isEqualTo(4);

            // again: the same sessions, nothing added
            HistoryImportResult second = h.api.importHistory(all("claude-code", h.project, claude(config)));
            assertThat(second.sessions()).extracting(HistoryImportResult.Entry::outcome).containsOnly("unchanged");
            assertThat(second.sessions()).extracting(HistoryImportResult.Entry::sessionId).isEqualTo(first.sessions().stream()
                    .map(HistoryImportResult.Entry::sessionId).toList());
            assertThat(h.api.sessions(h.project.toString())).hasSize(stored);

            // the session with tools: thinking, Bash → bash, Read → read, Edit → edit with Lathe's argument names, results kept
            HistoryImportResult.Entry toolSession = first.sessions().stream().filter(e -> e.title().startsWith("[scenario:tools] Make a note file.")
                    && !e.title().contains("again")).findFirst().orElseThrow();
            SessionId id = new SessionId(toolSession.sessionId().orElseThrow());
            List<MessageWithParts> history = h.api.messages(id);
            List<Part.Tool> calls = tools(history);
            assertThat(calls).extracting(Part.Tool::tool).containsExactly("bash", "read", "edit", "bash");
            assertThat(calls.get(2).input().json()).contains("\"path\":\"" + h.project.resolve("note.txt") + "\"").contains("\"oldString\":\"hello\"");
            assertThat(((ToolState.Completed) calls.get(0).state()).output()).isEqualTo("README.md\nnote.txt");
            assertThat(history.stream().flatMap(m -> m.parts().stream()).filter(Part.Reasoning.class::isInstance)).hasSize(1);

            // continued here with another model: the first request holds the imported calls and their results
            h.llm.then(text("Continuing."), LlmEvent.Finished.ok(StopReason.STOP));
            h.promptAndWait(id, "and now?");
            List<LlmMessage> sent = h.llm.requests.getFirst().messages();
            List<Content> content = sent.stream().flatMap(m -> m.content().stream()).toList();
            assertThat(content).filteredOn(Content.ToolCall.class::isInstance).extracting(c -> ((Content.ToolCall) c).name())
                    .containsExactly("bash", "read", "edit", "bash");
            assertThat(content).filteredOn(Content.ToolResult.class::isInstance).extracting(c -> ((Content.ToolResult) c).output())
                    .contains("README.md\nnote.txt", "12 note.txt");
            assertThat(content).filteredOn(Content.Text.class::isInstance).extracting(c -> ((Content.Text) c).text())
                    .contains("[scenario:tools] Make a note file.", "Done: note.txt now says hello world.", "and now?");
        }
    }

    /** Issue 71: a priced model's imported tokens cost nothing here, and the stats say why (not "price unknown"). */
    @Test
    void importedTokensOfAPricedModelAreMarkedNotBilledInTheStats() throws Exception {
        try (var h = new Harness(tmp.resolve("h"), "", 10)) {
            Path config = tmp.resolve("claude");
            ImportFixtures.claudeCode(config, h.project);
            h.api.importHistory(all("claude-code", h.project, claude(config)));

            var stats = h.api.stats(h.project.toString());

            assertThat(stats.cost()).isZero();
            assertThat(stats.models()).singleElement().satisfies(m -> {
                assertThat(m.model()).isEqualTo("anthropic/claude-sonnet-4-5");
                assertThat(m.usage().total()).isPositive();
                assertThat(m.notBilled()).isTrue();
            });
            assertThat(dev.lathe.protocol.wire.WireJson.write(stats)).contains("\"notBilled\":true");
        }
    }

    /**
     * Issue 71: an imported session names the harness that billed its tokens, keeps the name when continued here, and
     * one imported before sessions were marked gets the mark from the next import.
     */
    @Test
    void anImportedSessionNamesItsHarnessAndAnOlderImportIsMarkedByTheNext() throws Exception {
        try (var h = new Harness(tmp.resolve("h"), "", 10)) {
            Path config = tmp.resolve("claude");
            ImportFixtures.claudeCode(config, h.project);
            h.api.importHistory(all("claude-code", h.project, claude(config)));
            List<Session> imported = h.api.sessions(h.project.toString());
            assertThat(imported).isNotEmpty().allSatisfy(s -> assertThat(s.importedFrom()).contains("claude-code"));
            assertThat(dev.lathe.protocol.wire.WireJson.write(imported.getFirst())).contains("\"importedFrom\":\"claude-code\"");

            SessionId id = imported.getFirst().id();
            h.llm.then(text("Continuing."), LlmEvent.Finished.ok(StopReason.STOP));
            h.promptAndWait(id, "and now?");
            assertThat(h.api.session(id).importedFrom()).contains("claude-code");

            Session before = h.api.session(id);
            h.storage.sessions().update(new Session(before.id(), before.projectId(), before.directory(), before.parentId(), before.title(),
                    before.agent(), before.model(), before.createdAt(), before.updatedAt(), before.revert(), before.usage(), before.cost(),
                    before.archivedAt(), before.worktree(), Optional.empty()));
            assertThat(h.api.session(id).importedFrom()).isEmpty();
            h.api.importHistory(all("claude-code", h.project, claude(config)));
            assertThat(h.api.session(id)).satisfies(s -> {
                assertThat(s.importedFrom()).contains("claude-code");
                assertThat(s.usage()).isEqualTo(before.usage());
                assertThat(s.title()).isEqualTo(before.title());
            });
        }
    }

    @Test
    void aCompactedClaudeCodeSessionSendsItsSummaryInsteadOfWhatItReplaced() throws Exception {
        try (var h = new Harness(tmp.resolve("h"), "", 10)) {
            Path config = tmp.resolve("claude");
            ImportFixtures.claudeCode(config, h.project);
            HistoryImportResult result = h.api.importHistory(all("claude-code", h.project, claude(config)));
            HistoryImportResult.Entry compacted = result.sessions().stream().filter(e -> e.title().contains("again")).findFirst().orElseThrow();
            SessionId id = new SessionId(compacted.sessionId().orElseThrow());
            assertThat(h.api.messages(id).stream().flatMap(m -> m.parts().stream()).filter(Part.Compaction.class::isInstance)).hasSize(1);
            h.llm.then(text("Continuing."), LlmEvent.Finished.ok(StopReason.STOP));
            h.promptAndWait(id, "go on");
            String sent = h.llm.requests.getFirst().messages().toString();
            assertThat(sent).contains("This session is being continued from a previous conversation").doesNotContain("ToolCall[");
        }
    }

    @Test
    void aTruncatedFileImportsWhatIsReadableAndNamesTheLineItStoppedAt() throws Exception {
        try (var h = new Harness(tmp.resolve("h"), "", 10)) {
            Path config = tmp.resolve("claude");
            ImportFixtures.claudeCode(config, h.project);
            Path folder = config.resolve("projects").resolve(ImportFixtures.claudeFolder(h.project));
            Path file;
            try (var s = Files.list(folder)) {
                file = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().findFirst().orElseThrow();
            }
            List<String> lines = Files.readAllLines(file);
            // cut in the middle of an assistant line, as a crash leaves it
            int cut = 0;
            for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains("\"type\":\"assistant\"")) cut = i;
            Files.writeString(file, String.join("\n", lines.subList(0, cut)) + "\n" + lines.get(cut).substring(0, lines.get(cut).length() / 2));
            HistoryImportResult result = h.api.importHistory(all("claude-code", h.project, claude(config)));
            String where = file + ":" + (cut + 1) + ": ";
            assertThat(result.problems()).anySatisfy(p -> assertThat(p).startsWith(where));
            assertThat(result.sessions()).hasSize(4).allSatisfy(e -> assertThat(e.messages()).isPositive());
        }
    }

    @Test
    void aSessionThatWentOnInClaudeCodeIsUpdatedInPlaceWithWhatCameSince() throws Exception {
        try (var h = new Harness(tmp.resolve("h"), "", 10)) {
            Path config = tmp.resolve("claude");
            ImportFixtures.claudeCode(config, h.project);
            Path folder = config.resolve("projects").resolve(ImportFixtures.claudeFolder(h.project));
            Path file;
            try (var s = Files.list(folder)) {
                file = s.filter(p -> p.toString().endsWith(".jsonl")).filter(p -> {
                    try {
                        return Files.readString(p).contains("[scenario:more]");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).findFirst().orElseThrow();
            }
            String whole = Files.readString(file);
            // first as it was before the second prompt, then as it is now
            Files.writeString(file, whole.substring(0, whole.indexOf("\n", whole.indexOf("Done: note.txt now says hello world.")) + 1));
            var first = h.api.importHistory(all("claude-code", h.project, claude(config)));
            String id = first.sessions().stream().filter(e -> e.file().equals(file.toString())).findFirst().orElseThrow().sessionId().orElseThrow();
            int before = h.api.messages(new SessionId(id)).size();
            Files.writeString(file, whole);
            var second = h.api.importHistory(all("claude-code", h.project, claude(config)));
            var entry = second.sessions().stream().filter(e -> e.file().equals(file.toString())).findFirst().orElseThrow();
            assertThat(entry.outcome()).isEqualTo("updated");
            assertThat(entry.sessionId()).contains(id);
            List<MessageWithParts> after = h.api.messages(new SessionId(id));
            assertThat(after).hasSize(before + 2);
            assertThat(tools(after)).extracting(Part.Tool::tool).containsExactly("bash", "read", "edit", "bash");
            assertThat(h.api.sessions(h.project.toString())).hasSize(4);
        }
    }

    @Test
    void codexAndOpenCodeSessionsAreImportedWithTheirCallsMappedToLathesTools() throws Exception {
        try (var h = new Harness(tmp.resolve("h"), "", 10)) {
            Path codexHome = tmp.resolve("codex");
            ImportFixtures.codex(codexHome, h.project);
            var codex = h.api.importHistory(all("codex", h.project, new HistoryImportRequest.Locations(Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(codexHome.toString()))));
            assertThat(codex.sessions()).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo("imported"));
            List<Part.Tool> calls = tools(h.api.messages(new SessionId(codex.sessions().getFirst().sessionId().orElseThrow())));
            assertThat(calls).extracting(Part.Tool::tool).containsOnly("bash").hasSize(3);
            assertThat(calls.getFirst().input().json()).contains("\"command\":\"printf 'hello\\\\n' > note.txt && ls\"");
            assertThat(((ToolState.Completed) calls.getFirst().state()).output()).contains("README.md\nnote.txt");

            Path dataHome = tmp.resolve("data");
            Path db = ImportFixtures.openCode(dataHome);
            try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
                st.executeUpdate("UPDATE session SET directory = '" + h.project + "'");
            }
            var where = new HistoryImportRequest.Locations(Optional.empty(), Optional.empty(), Optional.of(dataHome.toString()), Optional.empty());
            var opencode = h.api.importHistory(all("opencode", h.project, where));
            assertThat(opencode.sessions()).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo("imported"));
            List<Part.Tool> ocCalls = tools(h.api.messages(new SessionId(opencode.sessions().getFirst().sessionId().orElseThrow())));
            assertThat(ocCalls).extracting(Part.Tool::tool).containsExactly("bash", "read", "edit");
            assertThat(ocCalls.get(1).input().json()).contains("\"path\":");
            assertThat(h.api.importHistory(all("opencode", h.project, where)).sessions()).extracting(HistoryImportResult.Entry::outcome)
                    .containsExactly("unchanged");
            // an id imports that session; a prefix that names two is refused and imports nothing
            String sourceId = codex.sessions().getFirst().sourceId();
            var one = h.api.importHistory(new HistoryImportRequest("codex", Optional.empty(), Optional.of(sourceId.substring(0, 8)), false,
                    Optional.empty(), new HistoryImportRequest.Locations(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(codexHome.toString()))));
            assertThat(one.sessions()).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo("unchanged"));
            Path rollout;
            try (var s = Files.walk(codexHome)) {
                rollout = s.filter(p -> p.getFileName().toString().startsWith("rollout-")).findFirst().orElseThrow();
            }
            String twin = sourceId.substring(0, 8) + "-ffff-7fff-8fff-ffffffffffff";
            Files.writeString(rollout.resolveSibling("rollout-twin.jsonl"), Files.readString(rollout).replace(sourceId, twin));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.api.importHistory(new HistoryImportRequest("codex", Optional.empty(),
                    Optional.of(sourceId.substring(0, 8)), false, Optional.empty(), new HistoryImportRequest.Locations(Optional.empty(),
                            Optional.empty(), Optional.empty(), Optional.of(codexHome.toString())))))
                    .isInstanceOf(dev.lathe.protocol.api.LatheException.InvalidInput.class).hasMessageContaining("names 2 codex sessions");
            assertThat(h.api.sessions(h.project.toString())).hasSize(2);
            Files.delete(rollout.resolveSibling("rollout-twin.jsonl"));
            // listing imports nothing
            var listed = h.api.importHistory(new HistoryImportRequest("codex", Optional.of(h.project.toString()), Optional.empty(), false,
                    Optional.empty(), new HistoryImportRequest.Locations(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(codexHome.toString()))));
            assertThat(listed.sessions()).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo("found"));
        }
    }

    /**
     * Issue 53: a file the user attached in Claude Code ({@code @note.txt}, an {@code attachment} record of type
     * {@code file} after the prompt, as real Claude Code 2.1 writes it; the fixture's compacted session has one that
     * Claude Code attached again after {@code /compact}) is a file part of that prompt, and the next model reads it.
     */
    @Test
    void filesAttachedInClaudeCodeAreCarriedToTheNextModel() throws Exception {
        try (var h = new Harness(tmp.resolve("h"), "", 10)) {
            Path config = tmp.resolve("claude");
            ImportFixtures.claudeCode(config, h.project);
            Path folder = config.resolve("projects").resolve(ImportFixtures.claudeFolder(h.project));
            Path file;
            try (var s = Files.list(folder)) {
                file = s.filter(p -> p.toString().endsWith(".jsonl")).filter(p -> {
                    try {
                        return Files.readString(p).contains("[scenario:more]");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).findFirst().orElseThrow();
            }
            String sessionId = file.getFileName().toString().replace(".jsonl", "");
            String note = h.project.resolve("spec.md").toString();
            String png = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg==";
            String common = "\"cwd\":\"" + h.project + "\",\"sessionId\":\"" + sessionId + "\",\"version\":\"2.1.328\"";
            Files.writeString(file, Files.readString(file)
                    + "{\"parentUuid\":null,\"isSidechain\":false,\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"Explain @spec.md and @dot.png\"},"
                    + "\"uuid\":\"u-attach\",\"timestamp\":\"2026-11-26T10:00:00.000Z\"," + common + "}\n"
                    + "{\"parentUuid\":\"u-attach\",\"isSidechain\":false,\"attachment\":{\"type\":\"file\",\"filename\":\"" + note + "\",\"content\":"
                    + "{\"type\":\"text\",\"file\":{\"filePath\":\"" + note + "\",\"content\":\"# Spec\\nThe widget turns blue.\\n\",\"numLines\":3,"
                    + "\"startLine\":1,\"totalLines\":3}},\"displayPath\":\"spec.md\"},\"type\":\"attachment\",\"uuid\":\"a-text\","
                    + "\"timestamp\":\"2026-11-26T10:00:00.001Z\"," + common + "}\n"
                    + "{\"parentUuid\":\"a-text\",\"isSidechain\":false,\"attachment\":{\"type\":\"file\",\"filename\":\"dot.png\",\"content\":"
                    + "{\"type\":\"image\",\"file\":{\"base64\":\"" + png + "\",\"type\":\"image/png\",\"originalSize\":73}},\"displayPath\":\"dot.png\"},"
                    + "\"type\":\"attachment\",\"uuid\":\"a-image\",\"timestamp\":\"2026-11-26T10:00:00.002Z\"," + common + "}\n"
                    // Claude Code's own context notes stay out
                    + "{\"parentUuid\":\"a-image\",\"isSidechain\":false,\"attachment\":{\"type\":\"date\",\"date\":\"2026-11-26\"},"
                    + "\"type\":\"attachment\",\"uuid\":\"a-date\",\"timestamp\":\"2026-11-26T10:00:00.003Z\"," + common + "}\n");
            HistoryImportResult result = h.api.importHistory(all("claude-code", h.project, claude(config)));
            assertThat(result.problems()).isEmpty();
            SessionId id = new SessionId(result.sessions().stream().filter(e -> e.sourceId().equals(sessionId)).findFirst().orElseThrow()
                    .sessionId().orElseThrow());
            List<Part.File> files = h.api.messages(id).stream().flatMap(m -> m.parts().stream()).filter(Part.File.class::isInstance)
                    .map(Part.File.class::cast).toList();
            assertThat(files).extracting(Part.File::name, Part.File::mime).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("spec.md", "text/plain"), org.assertj.core.groups.Tuple.tuple("dot.png", "image/png"));

            h.llm.then(text("Continuing."), LlmEvent.Finished.ok(StopReason.STOP));
            h.promptAndWait(id, "and the widget?");
            List<Content> content = h.llm.requests.getFirst().messages().stream().flatMap(m -> m.content().stream()).toList();
            assertThat(content).filteredOn(Content.Text.class::isInstance).extracting(c -> ((Content.Text) c).text())
                    .contains("Explain @spec.md and @dot.png").anySatisfy(t -> assertThat(t).startsWith("[attached file spec.md]\n# Spec\nThe widget turns blue.\n"))
                    .noneSatisfy(t -> assertThat(t).contains("2026-11-26"));
            assertThat(content).filteredOn(Content.Image.class::isInstance).hasSize(1);

            // the compacted session: the file Claude Code attached again after /compact goes with the summary
            SessionId compacted = new SessionId(result.sessions().stream().filter(e -> e.title().contains("again")).findFirst().orElseThrow()
                    .sessionId().orElseThrow());
            h.llm.then(text("Continuing."), LlmEvent.Finished.ok(StopReason.STOP));
            h.promptAndWait(compacted, "go on");
            assertThat(h.llm.requests.getLast().messages().toString()).contains("[attached file note.txt]\nhello world\n");
        }
    }
}
