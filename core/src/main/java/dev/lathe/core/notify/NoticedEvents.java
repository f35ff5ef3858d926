package dev.lathe.core.notify;

import dev.lathe.core.bus.SharedEvents;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The cluster's events with this node's own appends shown to a {@link Notifier} (decision 389: no team-mode branch).
 * Every node reads every node's events back, but only the node that appended an ask, an error or a session's return
 * to idle ran that session's turn: telling the user from here tells them once, on a team server as in one process.
 */
public final class NoticedEvents implements SharedEvents {
    private final SharedEvents events;
    private final Notifier notifier;

    public NoticedEvents(SharedEvents events, Notifier notifier) {
        this.events = events;
        this.notifier = notifier;
    }

    @Override public long start(Consumer<EventEnvelope> deliver) { return events.start(deliver); }

    @Override
    public EventEnvelope append(Optional<String> directory, Event event) {
        EventEnvelope appended = events.append(directory, event);
        notifier.appended(directory, event);
        return appended;
    }

    @Override public Optional<List<EventEnvelope>> between(long afterSeq, long upTo, int limit) { return events.between(afterSeq, upTo, limit); }

    @Override public long newest() { return events.newest(); }
}
