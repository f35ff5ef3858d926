package dev.lathe.acp;

import dev.lathe.jsonrpc.Json;
import dev.lathe.jsonrpc.JsonRpcPeer;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.EventFilter;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Lathe session an editor has open over ACP: the daemon's events for it become {@code session/update}s
 * ({@link SessionFeed}), its permission asks and those of its subagents go to the editor ({@link PermissionRelay}),
 * and each time it goes idle a waiting prompt is woken. The mode (agent) and model the editor chose are sent with each
 * prompt.
 */
final class AcpSession implements AutoCloseable {
    final SessionId id;
    final Path directory;
    private volatile String mode;
    private volatile String model;
    private final JsonRpcPeer editor;
    private final PermissionRelay relay;
    private final SessionFeed feed;
    /** The session and the subagent sessions it started: their asks are the editor's to answer too. */
    private final Set<SessionId> family = ConcurrentHashMap.newKeySet();
    private final Set<String> askedAlready = ConcurrentHashMap.newKeySet();
    /** A permit per idle status seen: a prompt waiting for its turn to end checks the session then. */
    final Semaphore idle = new Semaphore(0);
    private volatile AutoCloseable subscription = () -> { };
    /** The editor's files attached for the session's tools ({@link EditorFiles}), detached on close. */
    private volatile AutoCloseable files = () -> { };

    private AcpSession(Session session, JsonRpcPeer editor, PermissionRelay relay) {
        this.id = session.id();
        this.directory = Path.of(session.directory());
        this.mode = session.agent();
        this.model = session.model();
        this.editor = editor;
        this.relay = relay;
        this.feed = new SessionFeed(id, directory, this::send);
        family.add(id);
    }

    /** Opens {@code session} for the editor: its events flow from now on, and asks already waiting are put to the editor. */
    static AcpSession open(LatheApi api, Session session, JsonRpcPeer editor, PermissionRelay relay) {
        var open = new AcpSession(session, editor, relay);
        open.subscription = api.subscribe(new EventFilter(Optional.of(session.directory()), Optional.empty()), 0, open::on);
        for (PermissionRequest waiting : api.permissions(session.directory())) {
            if (waiting.sessionId().equals(session.id())) open.ask(waiting);
        }
        return open;
    }

    void attached(AutoCloseable editorFiles) { this.files = editorFiles; }

    String mode() { return mode; }

    String model() { return model; }

    void mode(String agent) { this.mode = agent; }

    void model(String ref) { this.model = ref; }

    SessionFeed feed() { return feed; }

    void send(ObjectNode update) {
        ObjectNode params = Json.object().put("sessionId", id.value());
        params.set("update", update);
        editor.notify("session/update", params);
    }

    private void on(EventEnvelope envelope) {
        Event event = envelope.event();
        if (event instanceof Event.SessionCreated c && c.session().parentId().filter(family::contains).isPresent()) family.add(c.session().id());
        switch (event) {
            case Event.PermissionAsked a when family.contains(a.request().sessionId()) -> ask(a.request());
            case Event.SessionStatusChanged s when s.sessionId().equals(id) && s.status() instanceof SessionStatus.Idle -> idle.release();
            default -> { }
        }
        feed.on(event);
    }

    private void ask(PermissionRequest request) {
        if (askedAlready.add(request.id().value())) relay.ask(id, request, directory);
    }

    @Override
    public void close() {
        try {
            files.close();
            subscription.close();
        } catch (Exception e) {
            System.getLogger(AcpSession.class.getName()).log(System.Logger.Level.DEBUG, "closing the events of " + id.value(), e);
        }
    }
}
