package dev.lathe.tools;

/**
 * Port to the permission engine (implemented in core). {@link #require} returns when the action is allowed and
 * throws {@link PermissionRejected} when it is denied or the user rejects it. It may block the calling virtual
 * thread until a client answers an ask.
 */
@FunctionalInterface
public interface Permissions {
    void require(PermissionCheck check);

    /** Allows everything; for tests and trusted internal calls. */
    Permissions ALLOW_ALL = check -> {};
}
