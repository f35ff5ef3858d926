package dev.lathe.tui;

import dev.lathe.protocol.api.LatheApi;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The connections local-only mode refused that this UI knows of, each once (decision 120): those {@code GET
 * /network/blocked} listed when the UI opened or resynced, and the {@code network.blocked} events since. The server
 * sends each folder, host and {@code by} once, but a refusal made while the UI was fetching the list arrives both
 * ways, and a resync lists them all again: counted once all the same.
 */
final class BlockedTally {
    /** Unmodifiable, replaced when one is added (rare): the server events' reducer reads it. */
    private Set<String> seen = Set.of();

    /** One refusal as the tally keeps it. */
    static String key(String folder, String host, String by) { return folder + "\n" + host + "\n" + by; }

    /** Counts this refusal; true when it is new to this UI. */
    boolean add(String folder, String host, String by) {
        Set<String> now = with(seen, key(folder, host, by));
        boolean added = now != seen;
        seen = now;
        return added;
    }

    /** {@code seen} and {@code key}: the same set when it has it already. */
    static Set<String> with(Set<String> seen, String key) {
        if (seen.contains(key)) return seen;
        var now = new HashSet<>(seen);
        now.add(key);
        return Set.copyOf(now);
    }

    int count() { return seen.size(); }

    /** The refusals counted (unmodifiable). */
    Set<String> seen() { return seen; }

    /** A step's refusals become the tally's. */
    void seen(Set<String> now) { seen = now; }

    /**
     * Counts what the server lists as refused for {@code directory} (the daemon may have had the folder open before this
     * UI attached); the footer hint when that added any. A server too old for the route, or one that went away, leaves
     * the count as it is.
     */
    Optional<String> listed(LatheApi api, String directory) {
        boolean added = false;
        try {
            for (var b : api.blockedConnections(directory)) added |= add(b.folder(), b.host(), b.by());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return added ? Optional.of(hint()) : Optional.empty();
    }

    /** The footer hint; empty when nothing was refused. */
    String hint() { return hint(seen.size()); }

    /** The footer hint for {@code n} refusals. */
    static String hint(int n) {
        return n == 0 ? "" : "local-only: " + n + " connection" + (n == 1 ? "" : "s") + " blocked (lathe doctor lists them)";
    }
}
