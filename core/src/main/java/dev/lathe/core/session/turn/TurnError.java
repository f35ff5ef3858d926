package dev.lathe.core.session.turn;

import dev.lathe.core.store.StoreException;
import dev.lathe.protocol.session.MessageError;
import java.util.Locale;

/**
 * The ways a turn fails that Lathe itself decides (a provider's own error kinds, such as {@code rate_limited}, come
 * from {@link dev.lathe.llm.LlmError}; an abort is {@link MessageError#aborted()}; a spend limit is
 * {@link dev.lathe.protocol.event.BudgetAsks#ERROR_KIND}). Each names the {@code kind} of the {@link MessageError}
 * clients see, so a kind is spelled in one place.
 */
public enum TurnError {
    /** The user said no to a permission ask (or a deny rule refused without asking). */
    PERMISSION_REJECTED,
    /** Lathe failed: a tool crashed, a subagent's turn threw. */
    INTERNAL,
    /** The answer passed {@code limits.maxAnswerBytes}. */
    ANSWER_TOO_LARGE,
    /** The model sent only invalid tool calls too many steps in a row. */
    INVALID_TOOL_CALLS,
    /** An ACP agent answering as the model failed (could not start, died, answered with an error). */
    PROVIDER,
    /** The model cannot run: not configured, no key, or an ACP agent in a folder not trusted. */
    MODEL,
    /** A hook's {@code continue: false}. */
    HOOK_STOPPED,
    /** The disk under Lathe's data folder is full (the message names the folder). */
    DISK_FULL,
    /** A team server's database could not be reached (the message names it): trying again once it is back works. */
    STORE_UNAVAILABLE,
    /** A fleet task's repository could not be fetched, checked out or pushed (DESIGN §20); the message says what git said. */
    WORKSPACE;

    /** The wire name, {@code permission_rejected}. */
    String kind() { return name().toLowerCase(Locale.ROOT); }

    public MessageError because(String message) { return new MessageError(kind(), message); }

    /**
     * What the user is told of a turn that threw {@code e}: its kind ({@link #of}) and its message; one without a message
     * (an {@link Error} often has none) points at the server's log, which has the whole trace.
     */
    public static MessageError describing(Throwable e) {
        String message = e.getMessage();
        return of(e).because(message == null || message.isBlank() ? "Lathe failed unexpectedly; the server's log has the details" : message);
    }

    /**
     * What a turn that threw {@code e} failed of: the store's own failures (a full disk, a team database away or its
     * pool's wait run out) are said as such wherever in the causes they are, never as {@link #INTERNAL}.
     */
    public static TurnError of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StoreException.DiskFull) return DISK_FULL;
            if (t instanceof StoreException.Unreachable) return STORE_UNAVAILABLE;
        }
        return INTERNAL;
    }
}
