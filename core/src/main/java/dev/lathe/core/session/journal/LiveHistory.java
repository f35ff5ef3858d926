package dev.lathe.core.session.journal;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Message;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.UserMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The history of a session whose turn is running, kept in memory: loaded from the store once as the turn starts, then
 * changed by every write the {@link Journal} makes for that session (the turn's own parts, a prompt queued through the
 * API, a compaction's messages, a user's shell command, the deletion of reverted messages), so a step reads it without the store. Messages are in id order and each message's
 * parts in id order, as the store returns them ({@code MessageStore.bySession}).
 *
 * <p>Thread-safe: the turn, its tools, its snapshot recorders and API threads write; the turn reads. A read returns an
 * immutable copy; a message's parts are copied again only after one of them changed.
 */
final class LiveHistory {
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<MessageId, Entry> messages = new TreeMap<>();
    /**
     * The list {@link #read} handed out last, or null once anything changed since: a step reads the history several
     * times (its request, the spend check, prompts queued meanwhile) and most reads find it unchanged.
     */
    private List<MessageWithParts> snapshot;
    /** Turns holding it open ({@link Journal#live}); guarded by the journal's map, not by {@link #lock}. */
    int holders = 1;

    /**
     * One message, its parts in id order as the turn sees them, the version of each part last committed (what a failed
     * write-behind falls back to), and the immutable view last handed out (null once a part changed).
     *
     * <p>The parts are a list in id order with each one's place by id, not a sorted tree: nearly every write is a new
     * part at the end (a step's start, a call, a finish) or a new version of one held, and a tree paid a descent of
     * string compares for each, then a walk of all its nodes for every view (issue 55: both grew with the turn).
     */
    private static final class Entry {
        Message info;
        private final ArrayList<Part> parts = new ArrayList<>();
        private final Map<String, Integer> places = new HashMap<>();
        final Map<String, Part> committed = new HashMap<>();
        MessageWithParts view;

        Entry(Message info) {
            this.info = info;
        }

        Part get(String id) {
            Integer at = places.get(id);
            return at == null ? null : parts.get(at);
        }

        /** {@code part} in place of the one with its id, else where its id sorts (at the end, nearly always). */
        void put(Part part) {
            String id = part.id().value();
            Integer at = places.get(id);
            if (at != null) {
                parts.set(at, part);
                return;
            }
            int place = parts.size();
            if (place > 0 && parts.getLast().id().value().compareTo(id) > 0) {
                int low = 0;
                int high = parts.size() - 1;
                while (low < high) {
                    int mid = (low + high) >>> 1;
                    if (parts.get(mid).id().value().compareTo(id) < 0) low = mid + 1;
                    else high = mid;
                }
                place = low;
            }
            parts.add(place, part);
            placesFrom(place);
        }

        void remove(String id) {
            Integer at = places.remove(id);
            if (at == null) return;
            parts.remove((int) at);
            placesFrom(at);
        }

        private void placesFrom(int from) {
            for (int i = from; i < parts.size(); i++) places.put(parts.get(i).id().value(), i);
        }

        MessageWithParts view() {
            if (view == null) view = new MessageWithParts(info, List.copyOf(parts));
            return view;
        }
    }

    /** Replaces whatever is held with {@code stored} (the store's answer for the session). */
    void load(List<MessageWithParts> stored) {
        lock.lock();
        try {
            snapshot = null;
            messages.clear();
            for (MessageWithParts m : stored) messages.put(m.info().id(), entry(m));
        } finally {
            lock.unlock();
        }
    }

    /** A stored message as held: each part committed as it is. */
    private static Entry entry(MessageWithParts m) {
        Entry e = new Entry(m.info());
        for (Part p : m.parts()) {
            e.put(p);
            e.committed.put(p.id().value(), p);
        }
        e.view = m;
        return e;
    }

    /**
     * The user messages of {@code stored} not held yet, with their parts: prompts another node of a team server stored
     * while this node runs the session (no write of this journal brought them). What is held stays as it is: the turn's
     * own writes may be newer than the store.
     */
    void promptsStoredElsewhere(List<MessageWithParts> stored) {
        lock.lock();
        try {
            for (MessageWithParts m : stored) {
                if (m.info() instanceof UserMessage && !messages.containsKey(m.info().id())) {
                    messages.put(m.info().id(), entry(m));
                    snapshot = null;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A message written (new, or a newer version of one held), keeping its parts. */
    void message(Message info) {
        lock.lock();
        try {
            snapshot = null;
            Entry e = messages.get(info.id());
            if (e == null) {
                messages.put(info.id(), new Entry(info));
            } else {
                e.info = info;
                e.view = null;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A part written and committed: replaces the one with its id or joins its message. A part of a message not held is
     * dropped, as the store's answer drops it (the journal writes a message before its parts).
     */
    void part(Part part) {
        show(part, true);
    }

    /** A part queued to be written behind ({@link Journal#partBehind}), not committed yet: the turn sees it at once. */
    void pending(Part part) {
        show(part, false);
    }

    private void show(Part part, boolean isCommitted) {
        lock.lock();
        try {
            Entry e = messages.get(part.messageId());
            if (e == null) return;
            e.put(part);
            if (isCommitted) e.committed.put(part.id().value(), part);
            e.view = null;
            snapshot = null;
        } finally {
            lock.unlock();
        }
    }

    /** A part written behind is committed now: the version a later failed write of it falls back to. */
    void committed(Part part) {
        lock.lock();
        try {
            Entry e = messages.get(part.messageId());
            if (e != null) e.committed.put(part.id().value(), part);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A part whose write failed: unless a newer version replaced it meanwhile, the turn sees again the version last
     * committed (the store still holds it), or no part when none was.
     */
    void failed(Part part) {
        lock.lock();
        try {
            Entry e = messages.get(part.messageId());
            if (e == null || !part.equals(e.get(part.id().value()))) return;
            Part stored = e.committed.get(part.id().value());
            if (stored != null) e.put(stored);
            else e.remove(part.id().value());
            e.view = null;
            snapshot = null;
        } finally {
            lock.unlock();
        }
    }

    /** A part deleted from the store. */
    void removed(Part part) {
        lock.lock();
        try {
            Entry e = messages.get(part.messageId());
            if (e == null) return;
            e.remove(part.id().value());
            e.committed.remove(part.id().value());
            e.view = null;
            snapshot = null;
        } finally {
            lock.unlock();
        }
    }

    /** One message deleted from the store, with its parts. */
    void removedMessage(MessageId message) {
        lock.lock();
        try {
            messages.remove(message);
            snapshot = null;
        } finally {
            lock.unlock();
        }
    }

    /** {@code from} and every later message deleted from the store (a prompt after a revert). */
    void deletedFrom(MessageId from) {
        lock.lock();
        try {
            messages.tailMap(from, true).clear();
            snapshot = null;
        } finally {
            lock.unlock();
        }
    }

    /** The history as it is now, in the store's order. */
    List<MessageWithParts> read() {
        lock.lock();
        try {
            if (snapshot != null) return snapshot;
            List<MessageWithParts> out = new ArrayList<>(messages.size());
            for (Entry e : messages.values()) out.add(e.view());
            snapshot = java.util.Collections.unmodifiableList(out);
            return snapshot;
        } finally {
            lock.unlock();
        }
    }

    /** The message {@code id} as it is now, with its parts; empty when it is not held. */
    java.util.Optional<MessageWithParts> find(MessageId id) {
        lock.lock();
        try {
            Entry e = messages.get(id);
            return e == null ? java.util.Optional.empty() : java.util.Optional.of(e.view());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The messages after {@code message}, in the store's order: what a check for a prompt sent meanwhile reads, at every
     * call, without copying the whole history (its running answer's parts grow with every step).
     */
    List<MessageWithParts> after(MessageId message) {
        lock.lock();
        try {
            List<MessageWithParts> out = new ArrayList<>();
            for (Entry e : messages.tailMap(message, false).values()) out.add(e.view());
            return java.util.Collections.unmodifiableList(out);
        } finally {
            lock.unlock();
        }
    }

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }
}
