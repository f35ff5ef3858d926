package dev.lathe.core.permission;

/**
 * Why nobody will answer the asks of a turn, as its prompt said (DESIGN §26); declared from the weakest to the strongest.
 * A background child's is not a mark: whether a client follows it is asked when it asks.
 */
public enum Unwatched {
    /** A run nobody watches (a goal loop's turn, a schedule's): {@code permission.unattended} says what its asks do. */
    UNATTENDED,
    /** {@code lathe run --deny-asks}: every ask is denied and reported to the model, whatever the config says. */
    DENY_ASKS;

    /** The stronger of the two. */
    public Unwatched and(Unwatched other) { return compareTo(other) >= 0 ? this : other; }
}
