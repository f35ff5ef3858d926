package dev.lathe.core.session;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.SessionStore;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.SessionId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Persist, then announce: every change is committed to the store before its event is published, which is the
 * durability contract of DESIGN §4 (a client never sees a completed part that a crash could lose).
 */
final class Journal {
    private final MessageStore messages;
    private final SessionStore sessions;
    private final EventBus bus;
    private final Map<SessionId, SessionStatus> statuses = new ConcurrentHashMap<>();
    private final ReentrantLock sessionLock = new ReentrantLock();

    Journal(MessageStore messages, SessionStore sessions, EventBus bus) {
        this.messages = messages;
        this.sessions = sessions;
        this.bus = bus;
    }

    void part(String directory, Part part) {
        messages.upsertPart(part);
        bus.publish(Optional.of(directory), new Event.PartUpdated(part));
    }

    /**
     * Writes a part without waiting for the commit and announces it once committed: for a marker the turn need not
     * wait for (a step's start, written while its request goes out). Later writes commit after it, so its event still
     * comes before theirs; a crash before the commit loses only the marker, as a crash just before writing it would.
     */
    void partBehind(String directory, Part part) {
        messages.upsertPartBehind(part).whenComplete((_, failure) -> {
            if (failure == null) {
                bus.publish(Optional.of(directory), new Event.PartUpdated(part));
            } else {
                System.getLogger(Journal.class.getName()).log(System.Logger.Level.WARNING, "cannot write part " + part.id() + ": " + failure.getMessage());
            }
        });
    }

    /** Announces a part without writing it (streaming text between flushes). */
    void delta(String directory, Part part, String field, String delta) {
        bus.publish(Optional.of(directory), new Event.PartDelta(part.sessionId(), part.messageId(), part.id(), field, delta));
    }

    /** A user message with its parts, written in one transaction, then announced message first. */
    void user(String directory, dev.lathe.protocol.session.UserMessage message, java.util.List<Part> parts) {
        messages.insertUser(message, parts);
        bus.publish(Optional.of(directory), new Event.MessageUpdated(message));
        for (Part p : parts) bus.publish(Optional.of(directory), new Event.PartUpdated(p));
    }

    void assistant(String directory, AssistantMessage message) {
        messages.upsertAssistant(message);
        bus.publish(Optional.of(directory), new Event.MessageUpdated(message));
    }

    void session(Session session) {
        sessions.update(session);
        bus.publish(Optional.of(session.directory()), new Event.SessionUpdated(session));
    }

    void publish(String directory, Event event) {
        bus.publish(Optional.of(directory), event);
    }

    void status(String directory, Session session, SessionStatus status) {
        if (status instanceof SessionStatus.Idle) statuses.remove(session.id());
        else statuses.put(session.id(), status);
        bus.publish(Optional.of(directory), new Event.SessionStatusChanged(session.id(), status));
    }

    /** The status last announced for a session that is not idle. */
    Optional<SessionStatus> lastStatus(SessionId id) {
        return Optional.ofNullable(statuses.get(id));
    }

    /**
     * Reads the session, applies {@code change}, stores and announces the result, all under one lock, so two changes
     * (a rename and a turn adding its usage) never overwrite each other. Empty when the session is gone.
     */
    Optional<Session> modify(SessionId id, UnaryOperator<Session> change) {
        sessionLock.lock();
        try {
            Optional<Session> current = sessions.find(id);
            if (current.isEmpty()) return current;
            Session changed = change.apply(current.get());
            if (!changed.equals(current.get())) session(changed);
            return Optional.of(changed);
        } finally {
            sessionLock.unlock();
        }
    }

    MessageStore messages() { return messages; }

    /** The session as stored now; empty when it is gone. */
    Optional<Session> find(SessionId id) { return sessions.find(id); }
}
