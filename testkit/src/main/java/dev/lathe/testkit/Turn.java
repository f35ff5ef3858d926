package dev.lathe.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the fake model answers to one request: a streamed response made of {@link Step}s, or a fault.
 * {@code finish} overrides the derived stop reason ({@code tool_use}/{@code tool_calls} when the turn has tool calls,
 * else {@code end_turn}/{@code stop}); use the protocol's own word, e.g. {@code max_tokens} or {@code length}.
 */
public record Turn(List<Step> steps, Optional<String> finish, Usage usage, Fault fault, Duration delayBetweenEvents) {

    /** Token counts reported in the response. */
    public record Usage(int input, int output, int cacheRead, int cacheWrite) {
        public static final Usage DEFAULT = new Usage(100, 20, 0, 0);
    }

    /** How the response deviates from a clean stream. */
    public sealed interface Fault {
        record None() implements Fault {}

        /** An HTTP error before any stream, e.g. 429 with {@code retry-after}. */
        record HttpError(int status, String body, Map<String, String> headers) implements Fault {}

        /** Sends the first {@code events} events, then keeps the connection open without sending anything. */
        record Stall(int events) implements Fault {}

        /** Sends the first {@code events} events, then closes the connection without the terminal events. */
        record Truncate(int events) implements Fault {}

        /** Sends the first {@code events} events, then an event whose data is not valid JSON, then the rest. */
        record Malformed(int events) implements Fault {}

        /**
         * Sends the first {@code events} events, then waits (at most a minute) until {@code resume} is released, then
         * sends the rest: a response a test holds mid-stream for as long as it looks at the half-streamed state.
         */
        record Pause(int events, java.util.concurrent.CountDownLatch resume) implements Fault {}
    }

    public static Turn of(Step... steps) {
        return new Turn(List.of(steps), Optional.empty(), Usage.DEFAULT, new Fault.None(), Duration.ZERO);
    }

    public static Turn httpError(int status, String body, Map<String, String> headers) {
        return new Turn(List.of(), Optional.empty(), Usage.DEFAULT, new Fault.HttpError(status, body, headers), Duration.ZERO);
    }

    public Turn finish(String reason) { return new Turn(steps, Optional.of(reason), usage, fault, delayBetweenEvents); }

    public Turn usage(int input, int output, int cacheRead, int cacheWrite) {
        return new Turn(steps, finish, new Usage(input, output, cacheRead, cacheWrite), fault, delayBetweenEvents);
    }

    public Turn stallAfter(int events) { return new Turn(steps, finish, usage, new Fault.Stall(events), delayBetweenEvents); }

    public Turn malformedAfter(int events) { return new Turn(steps, finish, usage, new Fault.Malformed(events), delayBetweenEvents); }

    public Turn truncateAfter(int events) { return new Turn(steps, finish, usage, new Fault.Truncate(events), delayBetweenEvents); }

    public Turn pauseAfter(int events, java.util.concurrent.CountDownLatch resume) {
        return new Turn(steps, finish, usage, new Fault.Pause(events, resume), delayBetweenEvents);
    }

    public Turn delayBetweenEvents(Duration delay) { return new Turn(steps, finish, usage, fault, delay); }

    boolean hasToolCalls() { return steps.stream().anyMatch(Step.ToolCall.class::isInstance); }
}
