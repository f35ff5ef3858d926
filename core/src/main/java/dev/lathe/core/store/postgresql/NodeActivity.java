package dev.lathe.core.store.postgresql;

import java.util.OptionalLong;

/**
 * What a node's own connections tell the database about it, in their {@code application_name} (PostgreSQL shows it in
 * {@code pg_stat_activity} to every session of the same role): its presence connection says which node it is, and its
 * event listener also says up to which event id it has delivered. {@code lathe doctor} reads them there
 * ({@link PostgresProbe}) and so sees a node's event lag without a request to the node and without a table of its own
 * (decision 290). PostgreSQL keeps 63 bytes of the name: {@code lathe-listen node_} + 12 hex + a 19-digit id fit.
 */
final class NodeActivity {
    private static final String PRESENCE = "lathe-node ";
    private static final String LISTENER = "lathe-listen ";

    private NodeActivity() {}

    /** The presence connection's name for {@code node}. */
    static String presence(String node) {
        return PRESENCE + node;
    }

    /** The listener's name for {@code node} once it has delivered every event up to {@code delivered}. */
    static String listener(String node, long delivered) {
        return LISTENER + node + " " + delivered;
    }

    /** A {@code LIKE} pattern that finds {@code node}'s listener (node ids hold no wildcard). */
    static String listenerPattern(String node) {
        return LISTENER + node + " %";
    }

    /** The delivered id a {@link #listener} name holds; empty for any other name. */
    static OptionalLong delivered(String applicationName, String node) {
        String prefix = LISTENER + node + " ";
        if (applicationName == null || !applicationName.startsWith(prefix)) return OptionalLong.empty();
        try {
            return OptionalLong.of(Long.parseLong(applicationName.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
