package dev.lathe.tools;

/**
 * The user (or a deny rule) refused a permission. It is not a {@link ToolFailure} because retrying with other arguments
 * is not what the user asked for. What follows is {@link #then()}: a deny rule or a plain "no" stops the turn (the
 * user wants to take over); a "no" that came with a message for the agent fails only this call — the model reads the
 * message as the call's result and goes on in the same turn.
 */
public final class PermissionRejected extends RuntimeException {
    /** What the turn does after the rejected call. */
    public enum Then {
        /** The turn ends (exit code 3 in {@code lathe run}). */
        STOP_TURN,
        /** The call fails with the message as its result; the model continues the turn with it. */
        CONTINUE_TURN
    }

    private final Then then;

    /** A rejection that stops the turn. */
    public PermissionRejected(String message) {
        this(message, Then.STOP_TURN);
    }

    public PermissionRejected(String message, Then then) {
        super(message);
        this.then = then;
    }

    public Then then() { return then; }
}
