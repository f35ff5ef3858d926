package dev.lathe.server.local;

import dev.lathe.core.store.postgresql.PgNodeState;
import java.util.Optional;

/**
 * {@code lathe doctor}'s lines about this machine's team node (DESIGN §20), from what the database shows of it
 * ({@link PgNodeState}): {@code node} for its connection and the session leases it holds, {@code events} for how far
 * behind the team's events its listener is.
 */
final class NodeCheck {
    /**
     * A listener this far behind is stuck, not busy: it reads on every notification and every 2 s without one, so an
     * event waits milliseconds when all is well (decision 290).
     */
    static final long LAG_WARN_MILLIS = 5_000;
    /** Queued work no node has taken for this long: every node with room looks every second. */
    static final long WAITING_WARN_SECONDS = 30;

    private NodeCheck() {}

    static LocalCommands.Check leases(PgNodeState n) {
        String waiting = n.waiting() > 0 ? "; " + n.waiting() + " sessions have prompts waiting with no live lease (the oldest for "
                + n.oldestWaitingSecs() + " s)" : "";
        boolean stuckQueue = n.waiting() > 0 && n.oldestWaitingSecs() >= WAITING_WARN_SECONDS;
        if (!n.connected()) {
            if (n.leases() > 0) {
                return warn("node", n.node() + " is not connected to the store (not running?) but holds " + n.leases()
                        + " session leases: other nodes take those sessions over as the leases run out" + waiting, "start the node (lathe serve --store …)");
            }
            return check("node", stuckQueue, n.node() + " is not connected to the store (not running); it holds no session leases" + waiting,
                    "start a node: no node is taking the waiting work");
        }
        if (n.expiredLeases() > 0) {
            return warn("node", n.node() + " is connected and holds " + n.leases() + " session leases, " + n.expiredLeases()
                    + " of them ran out without renewal (renewed " + n.oldestHeartbeatSecs() + " s ago)" + waiting,
                    "the node is stuck or its database is slow to answer: see its log (lines name the node)");
        }
        String held = n.leases() == 0 ? "holds no session leases" : "holds " + n.leases() + " session leases (the least recently renewed "
                + n.oldestHeartbeatSecs() + " s ago)";
        return check("node", stuckQueue, n.node() + " is connected and " + held + waiting,
                "no node takes the waiting work: check that the nodes run and are not at --max-sessions");
    }

    static LocalCommands.Check events(PgNodeState n) {
        if (n.delivered().isEmpty()) {
            if (!n.connected()) return ok("events", n.node() + " is not running: no events to deliver");
            return warn("events", n.node() + " is not listening for the team's events: its clients miss what other nodes run",
                    "see the node's log for \"event feed lost its connection\"; it reconnects by itself");
        }
        long upTo = n.delivered().getAsLong();
        if (n.behind() == 0) return ok("events", n.node() + " has delivered every event (up to #" + upTo + "): no lag");
        String detail = n.node() + " is " + n.behind() + " events behind (delivered up to #" + upTo + "; the oldest waiting " + n.oldestBehindMillis() + " ms)";
        if (n.oldestBehindMillis() >= LAG_WARN_MILLIS) {
            return warn("events", detail, "the node's event listener is stuck or its database connection slow: see its log");
        }
        return ok("events", detail);
    }

    private static LocalCommands.Check check(String name, boolean warn, String detail, String fix) {
        return warn ? warn(name, detail, fix) : ok(name, detail);
    }

    private static LocalCommands.Check ok(String name, String detail) {
        return new LocalCommands.Check(name, LocalCommands.CheckStatus.OK, detail, Optional.empty());
    }

    private static LocalCommands.Check warn(String name, String detail, String fix) {
        return new LocalCommands.Check(name, LocalCommands.CheckStatus.WARN, detail, Optional.of(fix));
    }
}
