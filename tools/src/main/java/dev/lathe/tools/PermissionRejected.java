package dev.lathe.tools;

import dev.lathe.protocol.session.ToolRejection;
import java.util.Optional;

/**
 * A permission was refused: by a deny rule, by the user answering its ask, or because nobody could answer it. It is not
 * a {@link ToolFailure} because retrying with other arguments is not what was asked for. What follows is
 * {@link #then()}: a plain "no" stops the turn (the user wants to take over); a denial (DESIGN §26: a deny rule, an ask
 * nobody could answer) and a "no" that came with a message for the agent fail only this call — the model reads why as
 * the call's result and goes on in the same turn — unless {@code permission.onDeny} / {@code permission.unattended}
 * say {@code "stop"}.
 */
public final class PermissionRejected extends RuntimeException {
    /** What the turn does after the rejected call. */
    public enum Then {
        /** The turn ends (exit code 3 in {@code lathe run}). */
        STOP_TURN,
        /** The call fails with the message as its result; the model continues the turn with it. */
        CONTINUE_TURN
    }

    private final Optional<ToolRejection> rejection;
    /** The turn goes on although nobody answered an ask (a hook refused the call and the model reads why). */
    private final boolean goesOn;

    /** A refusal that stops the turn, not the user's answer to an ask (a deny rule, an aborted turn). */
    public PermissionRejected(String message) {
        this(message, Optional.empty(), false);
    }

    private PermissionRejected(String message, Optional<ToolRejection> rejection, boolean goesOn) {
        super(message);
        this.rejection = rejection;
        this.goesOn = goesOn;
    }

    /**
     * A refusal that fails only this call, not the user's answer: a hook denied it (Claude Code's
     * {@code PermissionRequest} deny, or a {@code PermissionDenied} hook's {@code retry}); the model reads
     * {@code resultForModel} and goes on.
     */
    public static PermissionRejected goingOn(String resultForModel) {
        return new PermissionRejected(resultForModel, Optional.empty(), true);
    }

    /**
     * The user said no to the ask; {@code resultForModel} is the call's result. With {@code feedback} (what they told
     * the agent) the turn goes on; without, it stops.
     */
    public static PermissionRejected byUser(String resultForModel, Optional<String> feedback) {
        return new PermissionRejected(resultForModel, Optional.of(ToolRejection.byUser(feedback)), false);
    }

    public Then then() {
        return goesOn || rejection.flatMap(ToolRejection::message).isPresent() ? Then.CONTINUE_TURN : Then.STOP_TURN;
    }

    /**
     * A denial the model reads: {@code denial} says by what (a rule, or nobody to answer); the turn goes on with
     * {@code resultForModel} as the call's result, or stops there when {@code stops} ({@code "onDeny": "stop"}).
     */
    public static PermissionRejected denied(String resultForModel, ToolRejection denial, boolean stops) {
        return new PermissionRejected(resultForModel, Optional.of(denial), !stops);
    }

    /**
     * Present when the user rejected the ask, or the call was denied (a client shows "rejected by you" or "denied"
     * rather than an error).
     */
    public Optional<ToolRejection> rejection() { return rejection; }
}
