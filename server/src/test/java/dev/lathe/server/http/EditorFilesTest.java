package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EditorAnswer;
import dev.lathe.protocol.api.EditorAttachRequest;
import dev.lathe.protocol.api.EditorAttachment;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.InputPart;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.PromptRequest;
import dev.lathe.protocol.event.EditorRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An editor attached over HTTP (DESIGN §18, {@code lathe acp}'s daemon side): a client that attaches with
 * {@code PUT /sessions/{id}/editor}, answers {@code editor.requested} events from its event stream with
 * {@code POST /editor/{requestId}}, while a turn on the fake model reads and edits a file. The model sees the editor's
 * unsaved buffer, the edit arrives at the editor, undo sees it; an editor that never answers, that detached or whose
 * stream closed does not hang the turn.
 */
class EditorFilesTest {
    @TempDir Path tmp;
    LiveServer live;

    @BeforeEach
    void start() throws Exception {
        live = new LiveServer(tmp, ", \"permission\": {\"*\": \"allow\", \"edit\": \"allow\"}");
    }

    @AfterEach
    void stop() {
        live.close();
    }

    /** An editor as an ACP client relays one: open buffers, and a write puts the text in the buffer and saves it. */
    static final class Editor implements AutoCloseable {
        final HttpLatheClient client;
        final Map<String, String> buffers = new ConcurrentHashMap<>();
        final List<EditorRequest> requests = new CopyOnWriteArrayList<>();
        /** The writes as GET /editor/{id} answered them, with their content. */
        final List<EditorRequest> fetched = new CopyOnWriteArrayList<>();
        volatile boolean answers = true;
        AutoCloseable events;

        Editor(HttpLatheClient client) {
            this.client = client;
        }

        Editor following(SessionId id) {
            events = client.subscribe(EventFilter.session(id), 0, e -> {
                if (e.event() instanceof Event.EditorRequested r) {
                    requests.add(r.request());
                    // answered off the event thread, as a relay waiting on the editor does
                    if (answers) Thread.ofVirtual().start(() -> answer(r.request()));
                }
            });
            return this;
        }

        private void answer(EditorRequest r) {
            try {
                switch (r.op()) {
                    case READ -> {
                        String open = buffers.get(r.path());
                        client.answerEditor(r.id(), EditorAnswer.text(open != null ? open : Files.readString(Path.of(r.path()))));
                    }
                    case WRITE -> {
                        // the event carries the size only: the text comes with the request itself
                        EditorRequest whole = client.editorRequest(r.id());
                        fetched.add(whole);
                        buffers.put(r.path(), whole.content().orElseThrow());
                        Files.writeString(Path.of(r.path()), whole.content().orElseThrow());
                        client.answerEditor(r.id(), EditorAnswer.saved());
                    }
                }
            } catch (Exception e) {
                client.answerEditor(r.id(), EditorAnswer.failed(e.toString()));
            }
        }

        @Override
        public void close() throws Exception {
            if (events != null) events.close();
            client.close();
        }
    }

    @Test
    void theModelReadsTheEditorsUnsavedBufferAndItsEditArrivesAtTheEditor() throws Exception {
        Path notes = Files.writeString(live.project.resolve("notes.txt"), "saved text\n").toRealPath();
        live.llm.enqueue(Turn.of(Step.toolCall("call_1", "read", "{\"path\": \"notes.txt\"}")));
        live.llm.enqueue(Turn.of(Step.toolCall("call_2", "edit",
                "{\"path\": \"notes.txt\", \"oldString\": \"typed but unsaved\", \"newString\": \"edited by the model\"}")));
        live.llm.enqueue(Turn.of(Step.text("done")));
        try (HttpLatheClient user = live.client(); var editor = new Editor(live.client())) {
            SessionId id = live.session(user).id();
            editor.following(id);
            editor.buffers.put(notes.toString(), "typed but unsaved\n");
            EditorAttachment attached = editor.client.attachEditor(id, EditorAttachRequest.readingAndWriting());
            assertThat(attached.attachmentId()).startsWith("eda_");
            user.prompt(id, prompt("change the note"));
            live.awaitIdle(user, id);

            // the model was shown the buffer, not the disk
            assertThat(live.llm.requests().get(1).toolResult("call_1")).hasValueSatisfying(r ->
                    assertThat(r).contains("typed but unsaved").doesNotContain("saved text"));
            assertThat(editor.requests).extracting(EditorRequest::op)
                    .containsExactly(EditorRequest.Operation.READ, EditorRequest.Operation.READ, EditorRequest.Operation.WRITE);
            assertThat(editor.requests).allSatisfy(r -> {
                assertThat(r.path()).isEqualTo(notes.toString());
                assertThat(r.attachmentId()).isEqualTo(attached.attachmentId());
                assertThat(r.sessionId()).isEqualTo(id);
            });
            // the event (kept in the replay ring, sent to every client of the project) has no content, only its size
            assertThat(editor.requests.getLast().content()).isEmpty();
            assertThat(editor.requests.getLast().size()).isEqualTo("edited by the model\n".length());
            assertThat(editor.fetched).singleElement().satisfies(w -> {
                assertThat(w.id()).isEqualTo(editor.requests.getLast().id());
                assertThat(w.content()).contains("edited by the model\n");
            });
            assertThatThrownBy(() -> editor.client.editorRequest(editor.requests.getLast().id())).isInstanceOf(LatheException.NotFound.class);
            assertThat(editor.buffers.get(notes.toString())).isEqualTo("edited by the model\n");
            assertThat(Files.readString(notes)).isEqualTo("edited by the model\n");
            Part.Tool edit = tools(user.messages(id)).get(1);
            assertThat(edit.state()).isInstanceOfSatisfying(ToolState.Completed.class,
                    c -> assertThat(c.metadata().get("diff")).contains("-typed but unsaved", "+edited by the model"));
            // the step's snapshots saw the write: the session's diff lists it and undo restores the disk as it was before
            assertThat(user.diff(id)).anySatisfy(d -> assertThat(d.path()).isEqualTo("notes.txt"));
            user.undo(id);
            assertThat(Files.readString(notes)).isEqualTo("saved text\n");
        }
    }

    @Test
    void anEditorThatNeverAnswersCostsOneTimeoutThenTheDiskIsUsed() throws Exception {
        Path notes = Files.writeString(live.project.resolve("notes.txt"), "on disk\n");
        live.llm.enqueue(Turn.of(Step.toolCall("call_1", "read", "{\"path\": \"notes.txt\"}")));
        live.llm.enqueue(Turn.of(Step.toolCall("call_2", "edit", "{\"path\": \"notes.txt\", \"oldString\": \"on disk\", \"newString\": \"changed\"}")));
        live.llm.enqueue(Turn.of(Step.text("done")));
        try (HttpLatheClient user = live.client(); var editor = new Editor(live.client())) {
            SessionId id = live.session(user).id();
            editor.answers = false;
            editor.following(id);
            editor.client.attachEditor(id, EditorAttachRequest.readingAndWriting());
            long started = System.nanoTime();
            user.prompt(id, prompt("change it"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(user.status(id) instanceof dev.lathe.protocol.session.SessionStatus.Idle) || live.llm.requests().size() < 3) {
                assertThat(System.nanoTime()).as("the turn ends").isLessThan(deadline);
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(seconds).as("one timeout of %d s, not one per file", EditorRequest.TIMEOUT_SECONDS)
                    .isGreaterThanOrEqualTo(EditorRequest.TIMEOUT_SECONDS - 0.5).isLessThan(EditorRequest.TIMEOUT_SECONDS + 8);
            assertThat(live.llm.requests().get(1).toolResult("call_1")).hasValueSatisfying(r ->
                    assertThat(r).contains("on disk", "did not answer within 10 s", "this is the file on disk"));
            // the editor was detached after the timeout: the edit went to disk without asking it
            assertThat(editor.requests).hasSize(1);
            assertThat(Files.readString(notes)).isEqualTo("changed\n");
            // a late answer finds nothing waiting
            assertThatThrownBy(() -> editor.client.answerEditor(editor.requests.getFirst().id(), EditorAnswer.text("late")))
                    .isInstanceOf(LatheException.NotFound.class);
        }
    }

    @Test
    void aDetachedEditorOrOneWhoseStreamClosedIsNotAsked() throws Exception {
        Files.writeString(live.project.resolve("notes.txt"), "on disk\n");
        live.llm.enqueue(Turn.of(Step.toolCall("call_1", "read", "{\"path\": \"notes.txt\"}")));
        live.llm.enqueue(Turn.of(Step.text("done")));
        live.llm.enqueue(Turn.of(Step.toolCall("call_2", "read", "{\"path\": \"notes.txt\"}")));
        live.llm.enqueue(Turn.of(Step.text("done")));
        try (HttpLatheClient user = live.client(); var editor = new Editor(live.client())) {
            SessionId id = live.session(user).id();
            editor.following(id);
            editor.buffers.put(live.project.resolve("notes.txt").toRealPath().toString(), "buffer\n");
            editor.client.attachEditor(id, EditorAttachRequest.readingAndWriting());
            editor.client.detachEditor(id);
            long started = System.nanoTime();
            user.prompt(id, prompt("read it"));
            live.awaitIdle(user, id);
            assertThat(live.llm.requests().get(1).toolResult("call_1")).hasValueSatisfying(r -> assertThat(r).contains("on disk"));

            // attached again, but its event stream is gone: nobody would see a request, so none is made
            editor.client.attachEditor(id, EditorAttachRequest.offering(java.util.Set.of(dev.lathe.protocol.event.EditorRequest.Operation.READ)));
            editor.events.close();
            // the server notices a closed stream when it writes to it: events of the session (renames here) or the heartbeat
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            for (int i = 0; live.http.openEventStreams() > 0; i++) {
                assertThat(System.nanoTime()).as("the closed stream is dropped").isLessThan(deadline);
                user.updateSession(id, new dev.lathe.protocol.api.UpdateSessionRequest(Optional.of("title " + i), Optional.empty()));
                Thread.sleep(100);
            }
            started = System.nanoTime();
            user.prompt(id, prompt("read it again"));
            awaitRequests(4);
            live.awaitIdle(user, id);
            assertThat(live.llm.requests().get(3).toolResult("call_2")).hasValueSatisfying(r -> assertThat(r).contains("on disk"));
            assertThat(editor.requests).isEmpty();
            assertThat((System.nanoTime() - started) / 1e9).isLessThan(EditorRequest.TIMEOUT_SECONDS);
        }
    }

    @Test
    void aPathARuleDeniesNeverReachesTheEditor() throws Exception {
        live.close();
        live = new LiveServer(tmp.resolve("deny"), ", \"permission\": {\"*\": \"allow\", \"edit\": {\"*\": \"allow\", \"secret.txt\": \"deny\"}}");
        Path secret = Files.writeString(live.project.resolve("secret.txt"), "s3cret\n");
        live.llm.enqueue(Turn.of(Step.toolCall("call_1", "edit", "{\"path\": \"secret.txt\", \"oldString\": \"s3cret\", \"newString\": \"x\"}")));
        live.llm.enqueue(Turn.of(Step.text("done")));
        try (HttpLatheClient user = live.client(); var editor = new Editor(live.client())) {
            SessionId id = live.session(user).id();
            editor.following(id);
            editor.client.attachEditor(id, EditorAttachRequest.readingAndWriting());
            user.prompt(id, prompt("change the secret"));
            awaitRequests(1);
            live.awaitIdle(user, id);
            Part.Tool edit = tools(user.messages(id)).getFirst();
            assertThat(edit.state()).isInstanceOfSatisfying(ToolState.Failed.class, f -> assertThat(f.error()).startsWith("Denied by edit: secret.txt"));
            assertThat(editor.requests).isEmpty();
            assertThat(Files.readString(secret)).isEqualTo("s3cret\n");
        }
    }

    @Test
    void badRequestsAreRefusedWithAMessage() throws Exception {
        try (HttpLatheClient user = live.client()) {
            SessionId id = live.session(user).id();
            assertThatThrownBy(() -> user.attachEditor(id, EditorAttachRequest.offering(java.util.Set.of()))).isInstanceOf(LatheException.InvalidInput.class)
                    .hasMessageContaining("read and/or write");
            assertThatThrownBy(() -> user.attachEditor(new SessionId("ses_nope"), EditorAttachRequest.readingAndWriting()))
                    .isInstanceOf(LatheException.NotFound.class);
            assertThatThrownBy(() -> user.answerEditor("edr_nothing", EditorAnswer.saved())).isInstanceOf(LatheException.NotFound.class);
            assertThatThrownBy(() -> user.editorRequest("edr_nothing")).isInstanceOf(LatheException.NotFound.class);

            var http = HttpClient.newHttpClient();
            assertThat(raw(http, "PUT", "/sessions/" + id.value() + "/editor", "{\"read\": \"yes\"}"))
                    .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400)).satisfies(r -> assertThat(r.body()).contains("'read'").doesNotContain("EditorAttachRequest").doesNotContain("dev.lathe"));
            assertThat(raw(http, "PUT", "/sessions/" + id.value() + "/editor", "[]").statusCode()).isEqualTo(400);
            assertThat(raw(http, "POST", "/editor/edr_x", "{\"content\": \"a\", \"ok\": true}"))
                    .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400)).satisfies(r -> assertThat(r.body()).contains("exactly one of"));
            assertThat(raw(http, "POST", "/editor/edr_x", "{\"ok\": false}").statusCode()).isEqualTo(400);
            assertThat(raw(http, "GET", "/editor/edr_x", null).statusCode()).isEqualTo(404);
            assertThat(raw(http, "GET", "/editor/que_x", null).statusCode()).isEqualTo(404);
            assertThat(raw(http, "DELETE", "/sessions/" + id.value() + "/editor", null).statusCode()).isEqualTo(200);
            var attached = user.attachEditor(id, EditorAttachRequest.readingAndWriting());
            user.detachEditor(id, "eda_someone_else");
            assertThat(raw(http, "DELETE", "/sessions/" + id.value() + "/editor?attachment=" + attached.attachmentId(), null).statusCode())
                    .isEqualTo(200);
            // the same guard as every route: no token, no answer
            var anonymous = HttpRequest.newBuilder(URI.create(live.http.url() + "/editor/edr_x")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"ok\": true}")).build();
            assertThat(http.send(anonymous, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        }
    }

    private HttpResponse<String> raw(HttpClient http, String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(live.http.url() + path)).header("Authorization", "Bearer " + live.token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void awaitRequests(int n) throws InterruptedException {
        assertThat(live.llm.awaitRequests(n, Duration.ofSeconds(20))).isTrue();
    }

    private static PromptRequest prompt(String text) {
        return new PromptRequest(List.of(new InputPart.Text(text)), Optional.empty(), Optional.empty());
    }

    private static List<Part.Tool> tools(List<MessageWithParts> messages) {
        return messages.stream().flatMap(m -> m.parts().stream()).filter(p -> p instanceof Part.Tool).map(p -> (Part.Tool) p).toList();
    }
}
