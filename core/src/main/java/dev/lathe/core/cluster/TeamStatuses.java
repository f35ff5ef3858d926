package dev.lathe.core.cluster;

import dev.lathe.protocol.SessionId;
import java.util.Map;

/**
 * A team server's view of which sessions run where (DESIGN §20): each node writes the status (busy, waiting, retry) of
 * the sessions it runs, subagents' children included, and drops it when they are idle; every node reads the others',
 * so its board and {@code /session/status} show a turn running on another node. A status counts only while its node is
 * alive (holds a live session lease): a killed node's sessions read idle once its leases expire. The statuses part of
 * the {@link Cluster} port: one process ({@link LocalStatuses}) knows its own runs, and no other node has any.
 *
 * <p>Statuses are stored as the protocol's JSON ({@code WireJson}); this port does not read them.
 */
public interface TeamStatuses {
    /** This node's session {@code id} has status {@code json} now; {@code null} when it is idle again. */
    void announce(SessionId id, String json);

    /** The statuses of sessions that other live nodes run now, by session. */
    Map<SessionId, String> elsewhere();

    /** The status of one session if another live node runs it now (one indexed read: a board asks per session). */
    java.util.Optional<String> elsewhere(SessionId id);
}
