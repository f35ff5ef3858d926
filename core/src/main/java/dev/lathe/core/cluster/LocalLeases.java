package dev.lathe.core.cluster;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.SessionStatus;
import java.util.Map;

/**
 * The leases of one process, which runs every session itself: a queued prompt is taken by this node at once (its
 * runner woken directly), nobody else runs a session, and no prompt waits for a node.
 */
final class LocalLeases implements SessionLeases {
    private volatile Runs runs;

    @Override
    public void start(Runs runs) {
        if (this.runs != null) throw new IllegalStateException("the leases start once");
        this.runs = runs;
    }

    @Override
    public void queue(SessionId id) {
        Runs taker = runs;
        if (taker == null) throw new IllegalStateException("a prompt was queued before the sessions started");
        taker.take(id);
    }

    @Override
    public void stop(SessionId id) {
        Runs taker = runs;
        if (taker != null) taker.abort(id);
    }

    @Override public boolean busyElsewhere(SessionId id) { return false; }

    @Override public Map<SessionId, SessionStatus.Queued> waiting() { return Map.of(); }

    @Override public boolean mayRunElsewhere() { return false; }
}
