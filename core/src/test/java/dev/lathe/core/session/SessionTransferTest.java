package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.wire.WireJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTransferTest {
    @TempDir Path tmp;

    /** Two turns with tool calls (metadata maps, prompt hashes), the second one undone so a hidden message exists. */
    static Session scriptedSession(Harness h) throws Exception {
        Files.writeString(h.project.resolve("a.txt"), "alpha\n");
        h.llm.then(Stream.of(new LlmEvent[] {text("Reading.")}, call(1, "c1", "read", "{\"path\": \"a.txt\"}"),
                call(2, "c2", "bash", "{\"command\":\"echo hi\"}"), new LlmEvent[] {finish(StopReason.TOOL_CALLS)})
                .flatMap(Stream::of).toArray(LlmEvent[]::new));
        h.llm.then(text("Done reading."), finish(StopReason.STOP));
        h.llm.then(text("Second answer."), finish(StopReason.STOP));
        var s = h.session();
        h.promptAndWait(s.id(), "read a.txt");
        h.promptAndWait(s.id(), "and again");
        h.api.undo(s.id());
        return h.api.session(s.id());
    }

    @Test
    void exportHoldsHiddenMessagesAndImportIntoAnotherServerGivesTheSameBytes() throws Exception {
        String exported;
        SessionExport export;
        try (var a = new Harness(tmp.resolve("a"), ", \"permission\": {\"bash\": \"allow\"}", 10)) {
            Session s = scriptedSession(a);
            assertThat(s.revert()).isPresent();
            export = a.api.export(s.id());
            exported = WireJson.write(export);
            assertThat(export.format()).isEqualTo(SessionExport.FORMAT);
            assertThat(export.session()).isEqualTo(s);
            // the reverted turn is hidden from the transcript but not from the export
            assertThat(a.api.messages(s.id())).hasSize(2);
            assertThat(export.messages()).hasSize(4);
        }
        try (var b = new Harness(tmp.resolve("b"), "", 10)) {
            // the document travels as JSON, as lathe export / lathe import carry it
            Session imported = b.api.importSession(WireJson.read(exported, SessionExport.class));

            assertThat(imported.id()).isEqualTo(export.session().id());
            // project ids are this machine's: the folder's id here replaces the exporting machine's, nothing else changes
            assertThat(imported.projectId()).isNotEqualTo(export.session().projectId());
            assertThat(b.api.createSession(dev.lathe.protocol.api.CreateSessionRequest.in(export.session().directory())).projectId())
                    .isEqualTo(imported.projectId());
            assertThat(WireJson.write(b.api.export(imported.id())))
                    .isEqualTo(exported.replace(export.session().projectId().value(), imported.projectId().value()));
            assertThat(b.api.session(imported.id()).revert()).isEqualTo(export.session().revert());
            assertThat(b.api.messages(imported.id())).hasSize(2);
            assertThat(b.awaitEvent(e -> e instanceof Event.SessionCreated c && c.session().id().equals(imported.id())))
                    .isEqualTo(new Event.SessionCreated(imported));

            assertThatThrownBy(() -> b.api.importSession(export)).isInstanceOfSatisfying(LatheException.class, e -> {
                assertThat(e).isInstanceOf(LatheException.Conflict.class);
                assertThat(e.getMessage()).contains(imported.id().value());
            });
        }
    }

    @Test
    void aFolderThatDoesNotExistHereIsKeptAsData() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var s = h.session();
            h.llm.then(text("hello"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "hi");
            SessionExport export = h.api.export(s.id());
            Session elsewhere = withId(export.session(), dev.lathe.protocol.SessionId.next(), "/nowhere/on/this/machine");
            var moved = new SessionExport(SessionExport.FORMAT, elsewhere, rehome(export.messages(), elsewhere.id()));

            Session imported = h.api.importSession(moved);

            assertThat(imported.directory()).isEqualTo("/nowhere/on/this/machine");
            assertThat(h.api.session(imported.id())).isEqualTo(imported);
            assertThat(h.api.messages(imported.id())).hasSize(2);
            assertThat(h.api.export(imported.id()).messages()).isEqualTo(moved.messages());
        }
    }

    @Test
    void malformedDocumentsAreRefusedWithAClearMessage() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var s = h.session();
            h.llm.then(text("hello"), finish(StopReason.STOP));
            h.promptAndWait(s.id(), "hi");
            SessionExport good = h.api.export(s.id());
            Session fresh = withId(good.session(), dev.lathe.protocol.SessionId.next(), good.session().directory());
            List<MessageWithParts> rehomed = rehome(good.messages(), fresh.id());

            assertRefused(h, new SessionExport("opencode/1", fresh, rehomed), LatheException.InvalidInput.class, "unsupported export format 'opencode/1'");
            assertRefused(h, new SessionExport(null, fresh, rehomed), LatheException.InvalidInput.class, "unsupported export format (none)");
            assertRefused(h, new SessionExport(SessionExport.FORMAT, null, rehomed), LatheException.InvalidInput.class, "session is missing");
            assertRefused(h, WireJson.read("{\"format\":\"lathe.session/1\",\"session\":" + WireJson.write(fresh).replace("\"title\"", "\"x\"")
                    + ",\"messages\":[]}", SessionExport.class), LatheException.InvalidInput.class, "session.title is missing");
            // messages of another session, a part pointing at another message, an id twice
            assertRefused(h, new SessionExport(SessionExport.FORMAT, fresh, good.messages()), LatheException.InvalidInput.class, "messages[0].info.sessionId");
            var swapped = new ArrayList<>(rehomed);
            swapped.set(0, new MessageWithParts(rehomed.get(0).info(), rehomed.get(1).parts()));
            assertRefused(h, new SessionExport(SessionExport.FORMAT, fresh, swapped), LatheException.InvalidInput.class, "messages[0].parts[0].messageId");
            assertRefused(h, new SessionExport(SessionExport.FORMAT, fresh, List.of(rehomed.get(0), rehomed.get(0))), LatheException.InvalidInput.class, "appears twice");
            var relative = new Session(fresh.id(), fresh.projectId(), "project", fresh.parentId(), fresh.title(), fresh.agent(), fresh.model(),
                    fresh.createdAt(), fresh.updatedAt(), fresh.revert(), fresh.usage(), fresh.cost(), fresh.archivedAt());
            assertRefused(h, new SessionExport(SessionExport.FORMAT, relative, List.of()), LatheException.InvalidInput.class, "absolute");
            // a message id stored in another session is taken, and nothing of the document is written
            var stolen = List.of(new MessageWithParts(new UserMessage(good.messages().get(0).info().id(), fresh.id(), 1, "build", "fake/m"), List.of()));
            assertRefused(h, new SessionExport(SessionExport.FORMAT, fresh, stolen), LatheException.Conflict.class, "message " + good.messages().get(0).info().id());
            assertThatThrownBy(() -> h.api.session(fresh.id())).isInstanceOfSatisfying(LatheException.class, e -> assertThat(e).isInstanceOf(LatheException.NotFound.class));
        }
    }

    @Test
    void aParentThisServerDoesNotHaveIsDropped() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var parent = h.session();
            var child = h.api.createSession(new dev.lathe.protocol.api.CreateSessionRequest(h.project.toString(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.of(parent.id())));
            Session orphan = new Session(dev.lathe.protocol.SessionId.next(), child.projectId(), child.directory(),
                    Optional.of(dev.lathe.protocol.SessionId.next()), child.title(), child.agent(), child.model(), child.createdAt(), child.updatedAt(),
                    child.revert(), child.usage(), child.cost(), child.archivedAt());
            Session kept = withId(child, dev.lathe.protocol.SessionId.next(), child.directory());

            assertThat(h.api.importSession(new SessionExport(SessionExport.FORMAT, orphan, List.of())).parentId()).isEmpty();
            assertThat(h.api.importSession(new SessionExport(SessionExport.FORMAT, kept, List.of())).parentId()).contains(parent.id());
        }
    }

    private static void assertRefused(Harness h, SessionExport export, Class<? extends LatheException> kind, String message) {
        assertThatThrownBy(() -> h.api.importSession(export)).isInstanceOfSatisfying(kind, e -> {
            assertThat(e.getMessage()).contains(message);
        });
    }

    private static Session withId(Session s, dev.lathe.protocol.SessionId id, String directory) {
        return new Session(id, s.projectId(), directory, s.parentId(), s.title(), s.agent(), s.model(), s.createdAt(), s.updatedAt(), s.revert(),
                s.usage(), s.cost(), s.archivedAt());
    }

    /** The same messages under new ids in another session (a JSON rewrite, as someone editing a document would do). */
    private static List<MessageWithParts> rehome(List<MessageWithParts> messages, dev.lathe.protocol.SessionId to) {
        String json = WireJson.write(messages.toArray(MessageWithParts[]::new));
        String from = messages.getFirst().info().sessionId().value();
        json = json.replace(from, to.value());
        for (MessageWithParts m : messages) {
            json = json.replace(m.info().id().value(), MessageId.next().value());
            for (Part p : m.parts()) json = json.replace(p.id().value(), PartId.next().value());
        }
        return List.of(WireJson.read(json, MessageWithParts[].class));
    }
}
