package dev.lathe.tools;

/**
 * A subagent stopped at a spend limit the user would not raise (decision 119). Not a {@link ToolFailure} — the model
 * cannot do anything about it — and not a {@link PermissionRejected}: the calling turn ends as the subagent's did,
 * {@code limit_reached}, so clients and {@code lathe run} (exit 4) say a limit was reached rather than that a
 * permission was rejected.
 */
public final class LimitReached extends RuntimeException {
    /** {@code message}: what was reached and how to go on, as the subagent's own error said it. */
    public LimitReached(String message) {
        super(message);
    }
}
