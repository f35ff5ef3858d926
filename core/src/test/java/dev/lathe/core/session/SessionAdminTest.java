package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.MessageUsage;
import dev.lathe.protocol.api.PermissionReplyRequest;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.api.UpdateSessionRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.wire.WireJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionAdminTest {
    @TempDir Path tmp;

    @Test
    void deleteStopsRunningTurnsAndRemovesTheSessionWithEverythingBelowIt() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": \"allow\"}", 10)) {
            Session parent = h.session();
            Session child = h.api.createSession(childOf(h, parent));
            Session grandchild = h.api.createSession(childOf(h, child));
            Session unrelated = h.session();
            SqliteStorage.over(h.db).todos().replace(child.id(), List.of(new Todo("x", Todo.Status.PENDING, Todo.Priority.HIGH)));
            // the parent runs a long command, the child waits on a model that never answers
            h.llm.then(Stream.concat(Stream.of(call(0, "c1", "bash", "{\"command\":\"sleep 47.5\"}")), Stream.of(finish(StopReason.TOOL_CALLS)))
                    .toArray(LlmEvent[]::new));
            h.api.prompt(parent.id(), PromptRequest.text("wait"));
            await(() -> sleeping(), "the command to start");
            h.llm.thenHang(text("thinking"));
            h.api.prompt(child.id(), PromptRequest.text("think"));
            h.llm.hanging.await();
            assertThat(h.api.statuses("").keySet()).containsExactlyInAnyOrder(parent.id(), child.id());

            h.api.deleteSession(parent.id());

            for (Session gone : List.of(parent, child, grandchild)) {
                assertThatThrownBy(() -> h.api.session(gone.id())).isInstanceOfSatisfying(LatheException.class, e -> assertThat(e).isInstanceOf(LatheException.NotFound.class));
                h.awaitEvent(e -> e.equals(new Event.SessionDeleted(gone.id())));
            }
            assertThat(sleeping()).as("the command's process is killed").isFalse();
            assertThat(h.api.statuses("")).isEmpty();
            for (String table : List.of("session", "message", "part", "todo")) {
                String column = table.equals("session") ? "id" : "session_id";
                assertThat(h.db.query("SELECT COUNT(*) FROM " + table + " WHERE " + column + " <> ?", rs -> rs.getInt(1), unrelated.id().value()))
                        .as(table).containsExactly(0);
            }
            assertThat(h.api.sessions(h.project.toString())).containsExactly(h.api.session(unrelated.id()));
            assertThatThrownBy(() -> h.api.deleteSession(parent.id())).isInstanceOfSatisfying(LatheException.class, e -> assertThat(e).isInstanceOf(LatheException.NotFound.class));
        }
    }

    @Test
    void exportDeleteImportExportGivesTheSameBytes() throws Exception {
        try (var h = new Harness(tmp, ", \"permission\": {\"bash\": \"allow\"}", 10)) {
            Session s = SessionTransferTest.scriptedSession(h);
            String before = WireJson.write(h.api.export(s.id()));

            h.api.deleteSession(s.id());
            h.api.importSession(WireJson.read(before, SessionExport.class));

            assertThat(WireJson.write(h.api.export(s.id()))).isEqualTo(before);
        }
    }

    @Test
    void theFirstPromptNamesAnUntitledSessionButKeepsATitleItsCreatorGave() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            for (int i = 0; i < 4; i++) h.llm.then(text("ok"), finish(StopReason.STOP));
            Session untitled = h.session();
            Session titled = h.api.createSession(titled(h, "Release checklist"));
            Session lookalike = h.api.createSession(titled(h, "New session - API"));
            Session blank = h.api.createSession(titled(h, " "));
            for (Session s : List.of(untitled, titled, lookalike, blank)) h.promptAndWait(s.id(), "fix the flaky parser test\nand more");
            assertThat(h.api.session(untitled.id()).title()).isEqualTo("fix the flaky parser test");
            assertThat(h.api.session(titled.id()).title()).isEqualTo("Release checklist");
            assertThat(h.api.session(lookalike.id()).title()).as("only the generated title counts as none").isEqualTo("New session - API");
            assertThat(h.api.session(blank.id()).title()).as("a blank title is none").isEqualTo("fix the flaky parser test");
        }
    }

    private static CreateSessionRequest titled(Harness h, String title) {
        return new CreateSessionRequest(h.project.toString(), java.util.Optional.of(title), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty());
    }

    @Test
    void renameArchiveAndUnarchive() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Session s = h.session();
            Session other = h.session();

            Session renamed = h.api.updateSession(s.id(), UpdateSessionRequest.title("  Fix the parser "));
            assertThat(renamed.title()).isEqualTo("Fix the parser");
            assertThat(renamed.updatedAt()).isGreaterThanOrEqualTo(s.updatedAt());
            assertThat(h.awaitEvent(e -> e instanceof Event.SessionUpdated u && u.session().title().equals("Fix the parser")))
                    .isEqualTo(new Event.SessionUpdated(renamed));

            Session archived = h.api.updateSession(s.id(), UpdateSessionRequest.archive(true));
            assertThat(archived.archivedAt()).isPresent();
            assertThat(archived.title()).isEqualTo("Fix the parser");
            assertThat(h.api.sessions(h.project.toString())).extracting(Session::id).containsExactly(other.id());
            assertThat(h.api.session(s.id())).isEqualTo(archived);
            assertThat(h.api.updateSession(s.id(), UpdateSessionRequest.archive(true)).archivedAt()).isEqualTo(archived.archivedAt());

            Session back = h.api.updateSession(s.id(), new UpdateSessionRequest(Optional.of("Parser"), Optional.of(false)));
            assertThat(back.archivedAt()).isEmpty();
            assertThat(back.title()).isEqualTo("Parser");
            assertThat(h.api.sessions(h.project.toString())).extracting(Session::id).containsExactlyInAnyOrder(s.id(), other.id());

            assertStatus(LatheException.NotFound.class, () -> h.api.updateSession(SessionId.next(), UpdateSessionRequest.title("x")));
        }
    }

    @Test
    void statusesListWaitingAndBusySessionsByFolder() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
            Session waiting = h.session();
            Session busy = h.session(elsewhere);
            Session idle = h.session();
            h.llm.then(Stream.concat(Stream.of(call(0, "c1", "bash", "{\"command\":\"touch x\"}")), Stream.of(finish(StopReason.TOOL_CALLS)))
                    .toArray(LlmEvent[]::new));
            h.api.prompt(waiting.id(), PromptRequest.text("touch"));
            Event.PermissionAsked asked = (Event.PermissionAsked) h.awaitEvent(Event.PermissionAsked.class::isInstance);
            await(() -> h.api.status(waiting.id()) instanceof SessionStatus.Waiting, "waiting");
            h.llm.thenHang(text("..."));
            h.api.prompt(busy.id(), PromptRequest.text("go"));
            h.llm.hanging.await();

            assertThat(h.api.statuses("")).isEqualTo(Map.of(waiting.id(), SessionStatus.WAITING, busy.id(), SessionStatus.BUSY));
            assertThat(h.api.statuses(h.project.toString())).isEqualTo(Map.of(waiting.id(), SessionStatus.WAITING));
            assertThat(h.api.statuses(elsewhere.toString() + "/")).isEqualTo(Map.of(busy.id(), SessionStatus.BUSY));
            assertThat(h.api.statuses(tmp.resolve("nothing").toString())).isEmpty();
            assertThat(h.api.statuses(h.project.toString())).doesNotContainKey(idle.id());

            h.llm.then(text("done"), finish(StopReason.STOP));
            h.api.replyPermission(asked.request().id(), PermissionReplyRequest.of(PermissionReply.ONCE));
            h.awaitIdle(waiting.id());
            h.api.abort(busy.id());
            h.awaitIdle(busy.id());
            assertThat(h.api.statuses("")).isEmpty();
        }
    }

    @Test
    void childrenOldestFirst() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Session parent = h.session();
            Session first = h.api.createSession(childOf(h, parent));
            Session second = h.api.createSession(childOf(h, parent));
            h.api.createSession(childOf(h, first));
            h.api.updateSession(first.id(), UpdateSessionRequest.title("touched later"));

            assertThat(h.api.children(parent.id())).extracting(Session::id).containsExactly(first.id(), second.id());
            assertThat(h.api.children(second.id())).isEmpty();
            assertStatus(LatheException.NotFound.class, () -> h.api.children(SessionId.next()));
        }
    }

    @Test
    void usageHasTheTotalsAndEachAssistantMessage() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Session s = h.session();
            h.llm.then(text("one"), new LlmEvent.UsageReported(new TokenUsage(100, 10, 2, 50, 5)), finish(StopReason.STOP));
            h.llm.then(text("two"), new LlmEvent.UsageReported(new TokenUsage(200, 20, 0, 150, 0)), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "first");
            h.promptAndWait(s.id(), "second");

            var usage = h.api.usage(s.id());

            assertThat(usage.sessionId()).isEqualTo(s.id());
            assertThat(usage.usage()).isEqualTo(new Usage(300, 30, 2, 200, 5));
            List<AssistantMessage> answers = h.api.messages(s.id()).stream().map(m -> m.info())
                    .filter(AssistantMessage.class::isInstance).map(AssistantMessage.class::cast).toList();
            assertThat(usage.messages()).containsExactly(
                    new MessageUsage(answers.get(0).id(), "fake/m", new Usage(100, 10, 2, 50, 5), answers.get(0).cost()),
                    new MessageUsage(answers.get(1).id(), "fake/m", new Usage(200, 20, 0, 150, 0), answers.get(1).cost()));
            assertThat(usage.cost()).isEqualTo(answers.get(0).cost() + answers.get(1).cost());
            assertStatus(LatheException.NotFound.class, () -> h.api.usage(SessionId.next()));
        }
    }

    static CreateSessionRequest childOf(Harness h, Session parent) {
        return new CreateSessionRequest(h.project.toString(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(parent.id()));
    }

    static void assertStatus(Class<? extends LatheException> kind, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(kind);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    private static boolean sleeping() {
        return ProcessHandle.allProcesses().anyMatch(p -> p.isAlive() && p.info().commandLine().orElse("").contains("sleep 47.5"));
    }
}
