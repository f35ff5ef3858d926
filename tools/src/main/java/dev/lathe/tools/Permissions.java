package dev.lathe.tools;

/**
 * Port to the permission engine (implemented in core). {@link #require} returns when the action is allowed and
 * throws {@link PermissionRejected} when it is denied or the user rejects it. It may block the calling virtual
 * thread until a client answers an ask.
 */
@FunctionalInterface
public interface Permissions {
    void require(PermissionCheck check);

    /**
     * Whether a rule denies {@code check} outright, decided without asking anyone or recording a decision: a tool asks
     * before it hands a path to someone else (the user's editor, {@link EditorFiles}) ahead of its own {@link #require}.
     * Nothing is allowed by a {@code false}: {@link #require} still decides.
     */
    default boolean denies(PermissionCheck check) { return false; }

    /**
     * A tool is about to connect to {@code target} without having asked about it through {@link #require}: the next hop
     * of a redirect. Returns when Lathe's network policy allows it (always, unless local-only mode is on) and throws
     * {@link ToolFailure} when it does not, before any connection (decision 120).
     */
    default void connecting(java.net.URI target) {}

    /** Allows everything; for tests and trusted internal calls. */
    Permissions ALLOW_ALL = check -> {};
}
