package dev.lathe.protocol.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Quota;
import dev.lathe.protocol.session.Usage;
import java.util.List;
import java.util.Optional;

/**
 * The last line of {@code lathe run --format json}: wire {@code type} {@code result}, written by
 * {@link dev.lathe.protocol.wire.WireJson#writeResult}. Not a server event (no {@code seq}): the run's own account of
 * the turn it waited for, so a script reads one line instead of folding the events.
 *
 * @param sessionId  the session the turn ran in ({@code --session ID} continues it)
 * @param text       the answer: the text of the turn's last step (empty when it ended without text)
 * @param steps      the turn's steps (its {@code step-finish} parts; failed attempts that were retried do not count)
 * @param tokens     the turn's tokens, summed over its steps
 * @param cost       the turn's cost in micro-dollars (0 when the model's price is unknown); the line also carries
 *                   {@code costUsd}, the same in dollars (Claude Code's {@code total_cost_usd})
 * @param reason     how the turn ended: the last step's finish ({@code stop | tool_calls | length | content_filter}), or
 *                   the error kind ({@code permission_rejected}, {@code aborted}, {@code unauthorized}, ...)
 * @param error      the error's message, when the turn ended with one
 * @param exitCode   the exit code of the run (DESIGN §3)
 * @param durationMs the run's wall time from its start to this line
 * @param cacheHitRatio the share (0–1) of the turn's prompt tokens read from the provider's cache
 * @param quota      the latest rate-limit window of each name the turn's responses reported (DESIGN §18 "Cost"); the
 *                   line leaves it out when none did
 */
public record RunResult(SessionId sessionId, String text, int steps, Usage tokens, long cost, String reason, Optional<MessageError> error,
        int exitCode, long durationMs, double cacheHitRatio, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Quota> quota) {
    public RunResult {
        quota = quota == null ? List.of() : List.copyOf(quota);
    }

    /** The wire {@code type} of this line. */
    public static final String TYPE = "result";
}
