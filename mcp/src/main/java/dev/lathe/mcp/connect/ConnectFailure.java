package dev.lathe.mcp.connect;

/**
 * A server could not be connected: {@code message} says why in words a user can act on (the exit code and the tail
 * of stderr, the timeout, the HTTP status). {@code kind} separates what a retry may fix from what needs the user.
 */
public final class ConnectFailure extends Exception {

    /** Why the connection failed, as far as the lifecycle cares. */
    public enum Kind { FAILED, NEEDS_AUTH }

    private final Kind kind;

    public ConnectFailure(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() { return kind; }
}
