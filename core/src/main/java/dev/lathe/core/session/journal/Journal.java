package dev.lathe.core.session.journal;

import dev.lathe.core.bus.EventBus;
import dev.lathe.core.cluster.LocalCluster;
import dev.lathe.core.cluster.TeamStatuses;
import dev.lathe.core.store.MessageStore;
import dev.lathe.core.store.SessionStore;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptNotRun;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * Persist, then announce: every change is committed to the store before its event is published, which is the
 * durability contract of DESIGN §4 (a client never sees a completed part that a crash could lose).
 *
 * <p>While a turn runs, the journal also keeps its session's history in memory ({@link #live}): every write it makes
 * for that session changes that history too, so the turn reads its own writes (parts written behind included) and
 * everyone else's (a prompt queued through the API, a compaction's messages) without reading the store again. The
 * store commits in the order of writing, so a crash leaves a prefix of the writes, and nothing is announced before
 * it is committed.
 */
public final class Journal {
    private final MessageStore messages;
    private final SessionStore sessions;
    private final EventBus bus;
    private final Map<SessionId, SessionStatus> statuses = new ConcurrentHashMap<>();
    private final ReentrantLock sessionLock = new ReentrantLock();
    /** The histories of running turns' sessions, held while a turn holds them open. */
    private final Map<SessionId, LiveHistory> live = new ConcurrentHashMap<>();
    /** The parts streaming now, whose text the store has only as of their last periodic write. */
    private final StreamingTexts streaming = new StreamingTexts();
    /**
     * Each session's assistant messages not yet completed, oldest first (a turn's answer, a compaction's summary
     * within it): a hook run joins the newest ({@link #writing}). Immutable lists, replaced under {@code compute}.
     */
    private final Map<SessionId, List<MessageId>> open = new ConcurrentHashMap<>();

    /** The cluster's statuses of every node's sessions (DESIGN §20): none but this node's in one process. */
    private final TeamStatuses team;
    /** Tells the clients showing a session's diff that it may have changed (decision 592). */
    private final DiffNotices diffNotices;

    /** A journal of one process's sessions (the journal's own tests). */
    public Journal(MessageStore messages, SessionStore sessions, EventBus bus) {
        this(messages, sessions, bus, LocalCluster.alone().statuses());
    }

    public Journal(MessageStore messages, SessionStore sessions, EventBus bus, TeamStatuses team) {
        this.messages = messages;
        this.sessions = sessions;
        this.bus = bus;
        this.team = team;
        this.diffNotices = new DiffNotices((directory, event) -> bus.publish(Optional.of(directory), event));
    }

    /**
     * Whether a client's event stream follows {@code session} now (its folder's events, or its own): one that could show
     * and answer its asks. Observers inside the server do not count ({@link EventBus#reaches}); on a team server, only
     * the clients of this node, which runs the session's turn.
     */
    public boolean followed(Session session) {
        return bus.reaches(Optional.of(session.directory()), new Event.SessionStatusChanged(session.id(), SessionStatus.BUSY));
    }

    /** A hold on a session's history in memory; closing the last hold drops it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Keeps the session's history in memory until the returned hold is closed: loaded from the store now (once, however
     * many turns hold it), then kept up to date by this journal's writes. Registered before the store is read, and
     * writes made meanwhile wait for the load, so none is missed; a write made before (written behind, perhaps still
     * queued) is committed before the store is read, since the load first waits for the writer's queue.
     */
    public Held live(SessionId id) {
        var created = new LiveHistory[1];
        LiveHistory held = live.compute(id, (_, h) -> {
            if (h != null) {
                h.holders++;
                return h;
            }
            created[0] = new LiveHistory();
            created[0].lock();
            return created[0];
        });
        if (created[0] != null) {
            try {
                // a part written behind before the hold existed is in no history: wait until the store has it
                messages.awaitQueuedWrites();
                held.load(messages.bySession(id));
            } catch (RuntimeException e) {
                release(id);
                throw e;
            } finally {
                held.unlock();
            }
        }
        return () -> release(id);
    }

    /**
     * A prompt was queued for the session while a turn of it runs here: one stored through another node of a team server
     * is not in the history this node holds, so it is read from the store and joins it (a steered prompt then reaches
     * the running turn at its next step boundary, as one sent through this node does). Nothing when no turn holds it.
     */
    public void joinStoredPrompts(SessionId id) {
        LiveHistory h = live.get(id);
        if (h == null) return;
        h.promptsStoredElsewhere(messages.withPromptParts(id));
    }

    /** Whether a turn holds the session's history in memory now. */
    boolean holds(SessionId id) {
        return live.containsKey(id);
    }

    private void release(SessionId id) {
        if (live.computeIfPresent(id, (_, h) -> --h.holders == 0 ? null : h) == null) {
            open.remove(id);
            streaming.settledAll(id);
        }
    }

    /**
     * The message a running turn of the session is writing now: the newest assistant message not completed, else (a
     * {@code UserPromptSubmit} hook, before the answer exists) the session's newest message, the prompt. Empty when no
     * turn holds the session, so a message a crashed turn left open is never written to.
     */
    public Optional<MessageId> writing(SessionId id) {
        LiveHistory h = live.get(id);
        if (h == null) return Optional.empty();
        List<MessageId> ids = open.get(id);
        if (ids != null && !ids.isEmpty()) return Optional.of(ids.getLast());
        List<MessageWithParts> history = h.read();
        return history.isEmpty() ? Optional.empty() : Optional.of(history.getLast().info().id());
    }

    private void part(String directory, Part part) {
        messages.upsertPart(part);
        streaming.settled(part.id());
        LiveHistory h = live.get(part.sessionId());
        if (h != null) h.part(part);
        announce(directory, new Event.PartUpdated(part));
    }

    /**
     * Writes a part without announcing it: a streaming part's text between flushes, already announced as deltas.
     */
    public void partUnannounced(Part part) {
        messages.upsertPart(part);
        LiveHistory h = live.get(part.sessionId());
        if (h != null) h.part(part);
    }

    /**
     * Writes a part without waiting for the commit and announces it once committed: for what the turn need not wait
     * for (a step's start, a tool's outcome, a step's finish). Later writes commit after it, so its event still comes
     * before theirs; a crash before the commit loses it as a crash just before writing it would, with nothing announced.
     * The turn's own reads see it at once ({@link #history}); if the write fails, they see again the version last
     * committed, or no part when none was.
     */
    private CompletableFuture<Void> partBehind(String directory, Part part) {
        LiveHistory h = live.get(part.sessionId());
        if (h != null) h.pending(part);
        CompletableFuture<Void> written;
        try {
            written = messages.upsertPartBehind(part);
        } catch (RuntimeException e) {
            if (h != null) h.failed(part);
            throw e;
        }
        return written.whenComplete((_, failure) -> {
            if (failure == null) {
                if (h != null) h.committed(part);
                announce(directory, new Event.PartUpdated(part));
            } else {
                if (h != null) h.failed(part);
                System.getLogger(Journal.class.getName()).log(System.Logger.Level.WARNING, "cannot write part " + part.id() + ": " + failure.getMessage());
            }
        });
    }

    /**
     * The session's messages as the turn loop must see them: from memory while a turn holds them ({@link #live}),
     * parts written behind and not yet committed included; otherwise as stored. Clients and the API read the store
     * only.
     */
    public List<MessageWithParts> history(SessionId id) {
        LiveHistory h = live.get(id);
        return h != null ? h.read() : messages.bySession(id);
    }

    /**
     * One message of session {@code id} with its parts, as {@link #history} holds it, without copying the rest of the
     * history (what a spend check reads at every step); empty when it is not there.
     */
    public Optional<MessageWithParts> message(SessionId id, MessageId message) {
        LiveHistory h = live.get(id);
        if (h != null) return h.find(message);
        return messages.bySession(id).stream().filter(m -> m.info().id().equals(message)).findFirst();
    }

    /** The messages of session {@code id} after {@code message} (see {@link LiveHistory#after}). */
    public List<MessageWithParts> historyAfter(SessionId id, MessageId message) {
        LiveHistory h = live.get(id);
        if (h != null) return h.after(message);
        return messages.bySession(id).stream().filter(m -> m.info().id().compareTo(message) > 0).toList();
    }

    /**
     * Deletes a part (a failed attempt's partial output, which must not stay in the history) and announces it as
     * removed, after any write queued before it.
     */
    private void removePart(String directory, Part part) {
        messages.deletePart(part.id());
        streaming.settled(part.id());
        LiveHistory h = live.get(part.sessionId());
        if (h != null) h.removed(part);
        bus.publish(Optional.of(directory), new Event.PartRemoved(part.sessionId(), part.messageId(), part.id()));
    }

    /** Deletes one message with its parts (an empty message a compaction replaces) and announces it as removed. */
    private void removeMessage(String directory, SessionId session, MessageId message) {
        messages.deleteMessage(message);
        LiveHistory h = live.get(session);
        if (h != null) h.removedMessage(message);
        bus.publish(Optional.of(directory), new Event.MessageRemoved(session, message));
    }

    /**
     * Appends a text increment to a streaming part's {@code text} and announces it with the offset it was appended at,
     * without writing it or building the part (streaming between flushes). Until the part's whole text is written
     * ({@link #part}), the messages clients read carry {@code text} as it is now ({@link #streamingNow}).
     */
    private void delta(String directory, SessionId session, MessageId message, PartId part, LiveText text,
            String delta) {
        streaming.streaming(session, part, text);
        int offset = text.append(delta);
        bus.publish(Optional.of(directory), new Event.PartDelta(session, message, part, "text", delta, offset));
    }

    /**
     * The session's parts streaming now with their text so far: what the messages a client reads carry instead of the
     * stored text ({@link StreamingTexts#overlay}). Read it before the store (see {@link StreamingTexts}).
     */
    public Map<PartId, String> streamingNow(SessionId session) {
        return streaming.of(session);
    }

    /** A user message with its parts, written in one transaction, then announced message first. */
    private void user(String directory, UserMessage message, java.util.List<Part> parts) {
        messages.insertUser(message, parts);
        announceUser(directory, message, parts);
    }

    /**
     * A user message the store has written already, in a transaction of its own ({@link dev.lathe.core.session.turn.AgentTeams}: a teammate's message
     * with its delivery mark): the history a turn of the session holds here has it, and clients are told, as for
     * {@link SessionJournal#user}.
     */
    public void stored(Session session, UserMessage message, List<Part> parts) {
        announceUser(session.directory(), message, parts);
    }

    private void announceUser(String directory, UserMessage message, List<Part> parts) {
        LiveHistory h = live.get(message.sessionId());
        if (h != null) {
            h.message(message);
            for (Part p : parts) h.part(p);
        }
        bus.publish(Optional.of(directory), new Event.MessageUpdated(message));
        for (Part p : parts) bus.publish(Optional.of(directory), new Event.PartUpdated(p));
    }

    /** Deletes {@code from} and every later message of the session for good (a prompt after a revert); announces nothing. */
    public void deleteFrom(SessionId id, MessageId from) {
        messages.deleteFrom(id, from);
        LiveHistory h = live.get(id);
        if (h != null) h.deletedFrom(from);
    }

    /**
     * Marks {@code queued} (prompts nothing answered) not run, one by one: each keeps its place in the transcript with
     * a synthetic part saying so ({@link dev.lathe.protocol.session.PromptNotRun}), announced as any part is. One by
     * one, not "from the first on": a prompt stored since they were listed must stay a prompt to run (PromptStormTest).
     */
    private void markNotRun(String directory, SessionId id, java.util.List<MessageId> queued) {
        for (MessageId m : queued) {
            part(directory, new Part.Text(PartId.next(), id, m, PromptNotRun.TEXT, true));
        }
    }

    private void assistant(String directory, AssistantMessage message) {
        messages.upsertAssistant(message);
        open.compute(message.sessionId(), (_, ids) -> {
            var next = new java.util.ArrayList<>(ids == null ? List.of() : ids);
            if (message.completedAt().isPresent()) next.remove(message.id());
            else if (!next.contains(message.id())) next.add(message.id());
            return next.isEmpty() ? null : List.copyOf(next);
        });
        LiveHistory h = live.get(message.sessionId());
        if (h != null) h.message(message);
        bus.publish(Optional.of(directory), new Event.MessageUpdated(message));
    }

    /**
     * Writes a running answer's new usage and cost without waiting for the commit, and announces it once committed: a
     * response has ended and its tools may run for minutes, so a client shows what it cost now, not when the answer
     * ends. Writes queued later (the answer's completion) commit and are announced after it.
     */
    private void assistantBehind(String directory, AssistantMessage running) {
        if (running.completedAt().isPresent()) throw new IllegalArgumentException("a completed answer is written with assistant()");
        LiveHistory h = live.get(running.sessionId());
        if (h != null) h.message(running);
        messages.upsertAssistantBehind(running).whenComplete((_, failure) -> {
            if (failure == null) bus.publish(Optional.of(directory), new Event.MessageUpdated(running));
            else System.getLogger(Journal.class.getName()).log(System.Logger.Level.WARNING, "cannot write answer " + running.id() + ": " + failure.getMessage());
        });
    }

    public void session(Session session) {
        sessions.update(session);
        bus.publish(Optional.of(session.directory()), new Event.SessionUpdated(session));
    }

    private void publish(String directory, Event event) {
        announce(directory, event);
    }

    /** Publishes {@code event}, and a {@code diff.updated} notice shortly after when it may change the session's diff. */
    private void announce(String directory, Event event) {
        bus.publish(Optional.of(directory), event);
        diffNotices.seen(directory, event);
    }

    private void status(String directory, SessionId id, SessionStatus status) {
        if (status instanceof SessionStatus.Idle) statuses.remove(id);
        else statuses.put(id, status);
        team.announce(id, status instanceof SessionStatus.Idle ? null : WireJson.write(new StatusJson(status)));
        bus.publish(Optional.of(directory), new Event.SessionStatusChanged(id, status));
    }

    /** The status as stored for other nodes: wrapped, so that its {@code type} is written. */
    private record StatusJson(SessionStatus status) {}

    /** The statuses of sessions other nodes run now (none in one process). */
    public Map<SessionId, SessionStatus> elsewhere() {
        Map<SessionId, SessionStatus> out = new java.util.LinkedHashMap<>();
        team.elsewhere().forEach((id, json) -> out.put(id, WireJson.read(json, StatusJson.class).status()));
        return out;
    }

    /** The status of a session another node runs now; idle when none does (always, in one process). */
    public SessionStatus elsewhere(SessionId id) {
        return team.elsewhere(id).map(json -> WireJson.read(json, StatusJson.class).status())
                .orElse(SessionStatus.IDLE);
    }

    /** A session a dead node ran was taken over and closed as interrupted here: clients hear it is idle. */
    public void stoppedElsewhere(SessionId id) {
        statuses.remove(id);
        sessions.find(id).ifPresent(s -> bus.publish(Optional.of(s.directory()), new Event.SessionStatusChanged(id, SessionStatus.IDLE)));
    }

    /**
     * A team server left the session's prompt waiting for a node with room: clients hear its place. Not kept as this
     * node's status, nor written for other nodes: no node runs it (each reads the queue itself).
     */
    public void announceWaiting(SessionId id, SessionStatus.Queued place) {
        sessions.find(id).ifPresent(s -> bus.publish(Optional.of(s.directory()), new Event.SessionStatusChanged(id, place)));
    }

    /** The status last announced for a session that is not idle. */
    public Optional<SessionStatus> lastStatus(SessionId id) {
        return Optional.ofNullable(statuses.get(id));
    }

    /**
     * Reads the session, applies {@code change}, stores and announces the result, all under one lock, so two changes
     * (a rename and a turn adding its usage) never overwrite each other. Empty when the session is gone.
     */
    public Optional<Session> modify(SessionId id, UnaryOperator<Session> change) {
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

    /**
     * The journal of {@code session}: its writes announce on the bus of the session's directory, read here once, so
     * no caller passes a directory beside the session.
     */
    public SessionJournal of(Session session) {
        return new Bound(session.id(), session.directory());
    }

    /** The one implementation of {@link SessionJournal}: the journal's writes, with the session's id and directory. */
    final class Bound implements SessionJournal {
        private final SessionId id;
        private final String directory;

        private Bound(SessionId id, String directory) {
            this.id = id;
            this.directory = directory;
        }

        @Override public SessionId id() { return id; }
        @Override public void part(Part part) { Journal.this.part(directory, part); }
        @Override public void partUnannounced(Part part) { Journal.this.partUnannounced(part); }
        @Override public CompletableFuture<Void> partBehind(Part part) { return Journal.this.partBehind(directory, part); }
        @Override public void removePart(Part part) { Journal.this.removePart(directory, part); }
        @Override public void removeMessage(MessageId message) { Journal.this.removeMessage(directory, id, message); }
        @Override public void delta(MessageId message, PartId part, LiveText text, String delta) {
            Journal.this.delta(directory, id, message, part, text, delta);
        }
        @Override public void user(UserMessage message, List<Part> parts) { Journal.this.user(directory, message, parts); }
        @Override public void markNotRun(List<MessageId> queued) { Journal.this.markNotRun(directory, id, queued); }
        @Override public void assistant(AssistantMessage message) { Journal.this.assistant(directory, message); }
        @Override public void assistantBehind(AssistantMessage running) { Journal.this.assistantBehind(directory, running); }
        @Override public List<MessageWithParts> history() { return Journal.this.history(id); }
        @Override public List<MessageWithParts> historyAfter(MessageId message) { return Journal.this.historyAfter(id, message); }
        @Override public void publish(Event event) { Journal.this.publish(directory, event); }
        @Override public void status(SessionStatus status) { Journal.this.status(directory, id, status); }
    }

    public MessageStore messages() { return messages; }

    /** The session as stored now; empty when it is gone. */
    public Optional<Session> find(SessionId id) { return sessions.find(id); }
}
