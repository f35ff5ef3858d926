package dev.lathe.bench;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stamped deltas of one round of concurrent streams, as the event listener receives them: all of them, and split
 * into each stream's first {@link #EARLY} (the turns' start-up, snapshots included, competes with them) and the rest.
 */
final class StreamRound {
    static final int EARLY = 10;

    private final Set<SessionId> sessions = ConcurrentHashMap.newKeySet();
    private final Map<SessionId, AtomicInteger> seen = new ConcurrentHashMap<>();
    final Latencies all = new Latencies();
    final Latencies early = new Latencies();
    final Latencies steady = new Latencies();

    void add(SessionId session) { sessions.add(session); }

    /** Records a delta received at {@code receivedAt} ({@link System#nanoTime}) if it belongs to this round. */
    void on(Event.PartDelta delta, long receivedAt) {
        if (!sessions.contains(delta.sessionId())) return;
        all.record(delta.delta(), receivedAt);
        int n = seen.computeIfAbsent(delta.sessionId(), _ -> new AtomicInteger()).getAndIncrement();
        (n < EARLY ? early : steady).record(delta.delta(), receivedAt);
    }
}
