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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Lathe session an editor has open over ACP: the daemon's events for it become {@code session/update}s
 * ({@link SessionFeed}), its permission asks and those of its subagents go to the editor ({@link PermissionRelay})
 * and are withdrawn there when answered elsewhere, and each time it goes idle a waiting prompt is woken. The mode
 * (agent) and model the editor chose are sent with each prompt.
 *
 * <p>Events are subscribed to before anything is read, and held until {@link #live}: a load replays the stored
 * history first, then the events held meanwhile follow, so nothing that happened in between is lost.
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
    /** A permit per idle status seen: a prompt waiting for its turn to end checks the session then. */
    final Semaphore idle = new Semaphore(0);
    /** The editor's prompt being answered, if any: what {@code session/cancel} cancels. */
    private final AtomicReference<PromptTurn> prompt = new AtomicReference<>();
    private volatile AutoCloseable subscription = () -> { };
    /** The editor's files attached for the session's tools ({@link EditorFiles}), detached on close. */
    private volatile AutoCloseable files = () -> { };
    /** Events that came before {@link #live}, in order; guarded by {@code this}. */
    private List<Event> held = new ArrayList<>();

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

    /** Subscribes to {@code session}'s events for the editor; they are held until {@link #live}. */
    static AcpSession open(LatheApi api, Session session, JsonRpcPeer editor, PermissionRelay relay) {
        var open = new AcpSession(session, editor, relay);
        open.subscription = api.subscribe(new EventFilter(Optional.of(session.directory()), Optional.empty()), 0, open::on);
        return open;
    }

    /**
     * From now on events reach the editor: first {@code before} (a load's replay), then what was held, then the rest
     * as it comes; asks that were already waiting are put to the editor.
     */
    void live(LatheApi api, java.util.function.Consumer<SessionFeed> before) {
        synchronized (this) {
            before.accept(feed);
            List<Event> waiting = held;
            held = null;
            waiting.forEach(this::handle);
        }
        for (PermissionRequest ask : api.permissions(directory.toString())) {
            if (family.contains(ask.sessionId())) relay.ask(id, ask, directory);
        }
    }

    void attached(AutoCloseable editorFiles) { this.files = editorFiles; }

    String mode() { return mode; }

    String model() { return model; }

    void mode(String agent) { this.mode = agent; }

    void model(String ref) { this.model = ref; }

    SessionFeed feed() { return feed; }

    /** Takes {@code turn} as the editor's prompt being answered; false when one is already. */
    boolean answering(PromptTurn turn) { return prompt.compareAndSet(null, turn); }

    void answered(PromptTurn turn) { prompt.compareAndSet(turn, null); }

    /** {@code session/cancel}: the prompt being answered (or about to be) is cancelled. */
    void cancel() {
        PromptTurn turn = prompt.get();
        if (turn != null) turn.cancel();
    }

    void send(ObjectNode update) {
        ObjectNode params = Json.object().put("sessionId", id.value());
        params.set("update", update);
        editor.notify("session/update", params);
    }

    private synchronized void on(EventEnvelope envelope) {
        if (held != null) held.add(envelope.event());
        else handle(envelope.event());
    }

    private void handle(Event event) {
        if (event instanceof Event.SessionCreated c && c.session().parentId().filter(family::contains).isPresent()) family.add(c.session().id());
        switch (event) {
            case Event.PermissionAsked a when family.contains(a.request().sessionId()) -> relay.ask(id, a.request(), directory);
            case Event.PermissionReplied r when family.contains(r.sessionId()) -> relay.withdraw(r.permissionId(), r.reply());
            case Event.SessionStatusChanged s when s.sessionId().equals(id) && s.status() instanceof SessionStatus.Idle -> idle.release();
            default -> { }
        }
        feed.on(event);
    }

    /**
     * {@code session/close}: as ACP asks, the work of the session is cancelled (the turn the editor waits on, and the
     * asks it has open) before the session is {@link #close closed}.
     */
    void closeAndCancel() {
        cancel();
        relay.withdrawAll(id);
        close();
    }

    /**
     * The editor is done with the session, or gone: its events stop and its files are detached. A running turn goes on
     * in the daemon, where the other clients see it.
     */
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
