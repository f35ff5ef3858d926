package dev.lathe.tui;

import java.util.HashSet;
import java.util.Set;

/**
 * The connections local-only mode refused that this UI knows of, each once (decision 120): those {@code GET
 * /network/blocked} listed when the UI opened or resynced, and the {@code network.blocked} events since. The server
 * sends each folder, host and {@code by} once, but a refusal made while the UI was fetching the list arrives both
 * ways, and a resync lists them all again: counted once all the same.
 */
final class BlockedTally {
    private final Set<String> seen = new HashSet<>();

    /** Counts this refusal; true when it is new to this UI. */
    boolean add(String folder, String host, String by) {
        return seen.add(folder + "\n" + host + "\n" + by);
    }

    int count() { return seen.size(); }

    /** The footer hint; empty when nothing was refused. */
    String hint() {
        int n = seen.size();
        return n == 0 ? "" : "local-only: " + n + " connection" + (n == 1 ? "" : "s") + " blocked (lathe doctor lists them)";
    }
}
