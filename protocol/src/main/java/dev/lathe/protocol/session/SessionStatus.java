package dev.lathe.protocol.session;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a session is doing now; wire {@code type} is {@code idle | busy | retry | waiting | queued} (DESIGN §18; {@code
 * queued} only on a team server, whose nodes may leave a prompt waiting for room).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SessionStatus.Idle.class, name = "idle"),
        @JsonSubTypes.Type(value = SessionStatus.Busy.class, name = "busy"),
        @JsonSubTypes.Type(value = SessionStatus.Retry.class, name = "retry"),
        @JsonSubTypes.Type(value = SessionStatus.Waiting.class, name = "waiting"),
        @JsonSubTypes.Type(value = SessionStatus.Queued.class, name = "queued")})
public sealed interface SessionStatus {
    record Idle() implements SessionStatus {}

    record Busy() implements SessionStatus {}

    /**
     * The provider failed; attempt {@code attempt} of at most {@code maxAttempts} (0: not said) starts at {@code nextAt}
     * (epoch millis).
     */
    record Retry(int attempt, String message, long nextAt, int maxAttempts) implements SessionStatus {
        public Retry(int attempt, String message, long nextAt) { this(attempt, message, nextAt, 0); }
    }

    /** Blocked on a permission ask or a question. */
    record Waiting() implements SessionStatus {}

    /**
     * On a team server (DESIGN §20): a prompt of the session waits for a node to run it, none having room now
     * ({@code --max-sessions}). {@code position} is its place among the team's waiting sessions (1: next);
     * {@code waitsFor} says for what, in the user's words.
     */
    record Queued(int position, String waitsFor) implements SessionStatus {}

    SessionStatus IDLE = new Idle();
    SessionStatus BUSY = new Busy();
    SessionStatus WAITING = new Waiting();

    /** The wire {@code type} of {@code status}, as printed by the command line and the console clients. */
    static String typeOf(SessionStatus status) {
        return switch (status) {
            case Idle _ -> "idle";
            case Busy _ -> "busy";
            case Retry _ -> "retry";
            case Waiting _ -> "waiting";
            case Queued _ -> "queued";
        };
    }
}
