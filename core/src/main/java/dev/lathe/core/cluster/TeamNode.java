package dev.lathe.core.cluster;

import java.time.Duration;

/**
 * Who a team server's node is to the others (DESIGN §20): its id (the lease holder's name, {@code /health}'s
 * {@code node}), how long a session lease it takes lasts without renewal ({@code lathe serve --lease-seconds}), and how
 * many sessions it runs at once at most ({@code --max-sessions}; 0: no bound), so a node at its limit leaves queued work
 * to the others. The node identity part of the {@link Cluster} port; one process is a node too (its lease and bound
 * unused). Here, not in the PostgreSQL adapter's package, so that the embedded default never loads that package.
 */
public record TeamNode(String id, Duration lease, int maxSessions) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);

    public TeamNode {
        if (lease.isNegative() || lease.isZero()) throw new IllegalArgumentException("a lease lasts a positive time, not " + lease);
        if (maxSessions < 0) throw new IllegalArgumentException("a node runs at least one session, or any number (0), not " + maxSessions);
    }

    /** A node that runs any number of sessions at once. */
    public TeamNode(String id, Duration lease) {
        this(id, lease, 0);
    }

    /** A node of its own for a test or a tool: a random id, the default lease. */
    public static TeamNode random() {
        byte[] id = new byte[6];
        new java.security.SecureRandom().nextBytes(id);
        return new TeamNode("node_" + java.util.HexFormat.of().formatHex(id), DEFAULT_LEASE);
    }
}
