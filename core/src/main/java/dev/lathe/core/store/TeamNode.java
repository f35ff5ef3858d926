package dev.lathe.core.store;

import java.time.Duration;

/**
 * Who a team server's node is to the others (DESIGN §20): its id (the lease holder's name, {@code /health}'s
 * {@code node}) and how long a session lease it takes lasts without renewal ({@code lathe serve --lease-seconds}).
 * Here, not in the PostgreSQL adapter's package, so that the embedded default never loads that package.
 */
public record TeamNode(String id, Duration lease) {
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(15);

    public TeamNode {
        if (lease.isNegative() || lease.isZero()) throw new IllegalArgumentException("a lease lasts a positive time, not " + lease);
    }

    /** A node of its own for a test or a tool: a random id, the default lease. */
    public static TeamNode random() {
        byte[] id = new byte[6];
        new java.security.SecureRandom().nextBytes(id);
        return new TeamNode("node_" + java.util.HexFormat.of().formatHex(id), DEFAULT_LEASE);
    }
}
