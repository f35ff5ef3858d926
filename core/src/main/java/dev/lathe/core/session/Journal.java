package dev.lathe.core.session;

import dev.lathe.core.ask.AskNotices;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.SessionStore;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.SessionId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Persist, then announce: every change is committed to the store before its event is published, which is the
 * durability contract of DESIGN §4 (a client never sees a completed part that a crash could lose).
 *
 * <p>Parts written behind are also held here until their commit, so the turn loop reads its own writes
 * ({@link #history}) without waiting for them: the store commits in the order of writing, so a crash leaves a prefix
 * of them, and nothing is announced before it is committed.
 */
final class Journal implements dev.lathe.core.ask.AskNotices {
    private final MessageStore messages;
    private final SessionStore sessions;
    private final EventBus bus;
    private final Map<SessionId, SessionStatus> statuses = new ConcurrentHashMap<>();
    private final ReentrantLock sessionLock = new ReentrantLock();
    /** Per session, the newest version of each part written but not yet committed; inner maps only touched in compute. */
    private final Map<SessionId, Map<PartId, Part>> unsettled = new ConcurrentHashMap<>();

    Journal(MessageStore messages, SessionStore sessions, EventBus bus) {
        this.messages = messages;
        this.sessions = sessions;
        this.bus = bus;
    }

    void part(String directory, Part part) {
        // newer than a version still queued behind: history() must not show that one meanwhile
        unsettled.computeIfPresent(part.sessionId(), (_, pending) -> {
            pending.replace(part.id(), part);
            return pending;
        });
        try {
            messages.upsertPart(part);
        } finally {
            settled(part);
        }
        bus.publish(Optional.of(directory), new Event.PartUpdated(part));
    }

    /**
     * Writes a part without waiting for the commit and announces it once committed: for what the turn need not wait
     * for (a step's start, a tool's outcome, a step's finish). Later writes commit after it, so its event still comes
     * before theirs; a crash before the commit loses it as a crash just before writing it would, with nothing announced.
     * The turn's own reads see it at once ({@link #history}).
     */
    void partBehind(String directory, Part part) {
        unsettled.compute(part.sessionId(), (_, pending) -> {
            Map<PartId, Part> out = pending == null ? new HashMap<>() : pending;
            out.put(part.id(), part);
            return out;
        });
        CompletableFuture<Void> written;
        try {
            written = messages.upsertPartBehind(part);
        } catch (RuntimeException e) {
            settled(part);
            throw e;
        }
        written.whenComplete((_, failure) -> {
            settled(part);
            if (failure == null) {
                bus.publish(Optional.of(directory), new Event.PartUpdated(part));
            } else {
                System.getLogger(Journal.class.getName()).log(System.Logger.Level.WARNING, "cannot write part " + part.id() + ": " + failure.getMessage());
            }
        });
    }

    /** This version of the part is committed (or failed): the store's answer is the whole truth again. */
    private void settled(Part part) {
        unsettled.computeIfPresent(part.sessionId(), (_, pending) -> {
            pending.remove(part.id(), part);
            return pending.isEmpty() ? null : pending;
        });
    }

    /**
     * The session's messages as the turn loop must see them: what is stored, with the parts written behind and not yet
     * committed in place (the newest version of each). Clients and the API read the store only.
     */
    List<MessageWithParts> history(SessionId id) {
        // pending first: a part committed during the read below is then in the store's answer or in this list, never
        // in neither. (A newer write of it committed meanwhile would lose to this list: the turn reads between steps,
        // when nothing writes its parts but the tree added to a step's finish, which no request shows.)
        List<Part> pending = new ArrayList<>();
        unsettled.computeIfPresent(id, (_, parts) -> {
            pending.addAll(parts.values());
            return parts;
        });
        List<MessageWithParts> stored = messages.bySession(id);
        return pending.isEmpty() ? stored : withPending(stored, pending);
    }

    /** Each pending part replaces the stored one with its id, or joins its message in id order. */
    static List<MessageWithParts> withPending(List<MessageWithParts> stored, List<Part> pending) {
        Map<MessageId, List<Part>> byMessage = new HashMap<>();
        for (Part p : pending) byMessage.computeIfAbsent(p.messageId(), _ -> new ArrayList<>()).add(p);
        List<MessageWithParts> out = new ArrayList<>(stored.size());
        for (MessageWithParts m : stored) {
            List<Part> newer = byMessage.get(m.info().id());
            if (newer == null) {
                out.add(m);
                continue;
            }
            var merged = new TreeMap<String, Part>();
            for (Part p : m.parts()) merged.put(p.id().value(), p);
            for (Part p : newer) merged.put(p.id().value(), p);
            out.add(new MessageWithParts(m.info(), List.copyOf(merged.values())));
        }
        return out;
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

    @Override
    public void publish(String directory, Event event) {
        bus.publish(Optional.of(directory), event);
    }

    @Override
    public void status(String directory, Session session, SessionStatus status) {
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
