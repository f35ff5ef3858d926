package dev.lathe.acp;

import dev.lathe.jsonrpc.Json;
import dev.lathe.jsonrpc.JsonRpcError;
import dev.lathe.jsonrpc.JsonRpcPeer;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EditorAnswer;
import dev.lathe.protocol.api.EditorAttachRequest;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.event.EditorRequest;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The editor's files for a session's file tools (DESIGN §18: "file reads and writes go through the client's {@code fs}
 * methods when it offers them"): the session is attached to the daemon as this editor's ({@code PUT
 * /sessions/{id}/editor}, with what {@code initialize} said it offers), and each {@code editor.requested} event of the
 * attachment is relayed as {@code fs/read_text_file} or {@code fs/write_text_file} and its answer sent back ({@code POST
 * /editor/{requestId}}). A request is answered within the daemon's wait ({@link EditorRequest#TIMEOUT_SECONDS}): an
 * editor that takes longer is answered for with an error, so the tool says why instead of the daemon detaching it.
 * Closing detaches and stops the relay.
 */
final class EditorFiles implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EditorFiles.class.getName());
    /** How long the editor has: a second less than the daemon waits, so the daemon hears why. */
    static final long EDITOR_MILLIS = (EditorRequest.TIMEOUT_SECONDS - 1) * 1000L;

    private final LatheApi api;
    private final SessionId session;
    private final JsonRpcPeer editor;
    /** This relay's attachment id, known once the attach returned (a request can arrive before that). */
    private final CompletableFuture<String> attachment = new CompletableFuture<>();
    private volatile AutoCloseable events = () -> { };

    private EditorFiles(LatheApi api, SessionId session, JsonRpcPeer editor) {
        this.api = api;
        this.session = session;
        this.editor = editor;
    }

    /**
     * Attaches {@code session}'s files to {@code editor} when it offers reading or writing them; the returned handle
     * detaches. Without either, nothing is attached (the tools use the disk).
     */
    static AutoCloseable attach(LatheApi api, SessionId session, EditorCapabilities capabilities, JsonRpcPeer editor) {
        if (!capabilities.anyFiles()) return () -> { };
        var files = new EditorFiles(api, session, editor);
        // subscribed first: the daemon asks only while a stream would carry the request, and none may be missed
        files.events = api.subscribe(EventFilter.session(session), 0, files::on);
        try {
            var offered = java.util.EnumSet.noneOf(EditorRequest.Operation.class);
            if (capabilities.readTextFile()) offered.add(EditorRequest.Operation.READ);
            if (capabilities.writeTextFile()) offered.add(EditorRequest.Operation.WRITE);
            files.attachment.complete(api.attachEditor(session, EditorAttachRequest.offering(offered)).attachmentId());
        } catch (RuntimeException e) {
            files.attachment.completeExceptionally(e);
            files.closeEvents();
            throw e;
        }
        return files;
    }

    private void on(EventEnvelope envelope) {
        if (envelope.event() instanceof Event.EditorRequested r && r.request().sessionId().equals(session)) {
            // the editor's answer may take seconds: never on the event thread
            Thread.ofVirtual().name("lathe-acp-fs").start(() -> relay(r.request()));
        }
    }

    private void relay(EditorRequest request) {
        try {
            if (!request.attachmentId().equals(attachment.get(EDITOR_MILLIS, TimeUnit.MILLISECONDS))) return;  // an earlier attachment's
        } catch (Exception e) {
            return;
        }
        EditorRequest whole;
        try {
            // the event carries a write's size, not its text
            whole = request.op() == EditorRequest.Operation.WRITE ? api.editorRequest(request.id()) : request;
        } catch (LatheException e) {
            LOG.log(Level.DEBUG, "editor request " + request.id() + " was not waiting: " + e.getMessage());
            return;
        }
        EditorAnswer answer;
        try {
            JsonNode result = editor.request(method(request), params(whole)).get(EDITOR_MILLIS, TimeUnit.MILLISECONDS);
            answer = switch (request.op()) {
                case READ -> result != null && result.path("content").isString() ? EditorAnswer.text(result.path("content").asString())
                        : EditorAnswer.failed("the editor's answer to fs/read_text_file has no content");
                case WRITE -> EditorAnswer.saved();
            };
        } catch (ExecutionException e) {
            answer = EditorAnswer.failed(e.getCause() instanceof JsonRpcError rpc ? rpc.getMessage() : String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            answer = EditorAnswer.failed("the editor did not answer " + method(request) + " within " + EDITOR_MILLIS / 1000 + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            api.answerEditor(request.id(), answer);
        } catch (LatheException e) {
            // the tool stopped waiting (the turn was aborted, or another editor attached): nothing to answer
            LOG.log(Level.DEBUG, "editor request " + request.id() + " was not waiting: " + e.getMessage());
        }
    }

    static String method(EditorRequest request) {
        return switch (request.op()) {
            case READ -> "fs/read_text_file";
            case WRITE -> "fs/write_text_file";
        };
    }

    /** ACP's params: the session, the absolute path, and for a write the whole new text. */
    static ObjectNode params(EditorRequest request) {
        ObjectNode params = Json.object().put("sessionId", request.sessionId().value()).put("path", request.path());
        request.content().ifPresent(c -> params.put("content", c));
        return params;
    }

    @Override
    public void close() {
        closeEvents();
        try {
            // its own attachment only: another editor may have attached to the session since
            if (attachment.isDone() && !attachment.isCompletedExceptionally()) api.detachEditor(session, attachment.join());
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "detaching the editor of " + session.value() + ": " + e.getMessage());
        }
    }

    private void closeEvents() {
        try {
            events.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "closing the editor events of " + session.value(), e);
        }
    }
}
