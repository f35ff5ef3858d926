package dev.lathe.llm;

import java.util.List;
import java.util.Optional;

/**
 * The normalised stream of one response. {@code block} is the content block index; each tool call is announced
 * with {@code ToolCallStarted}, then argument fragments, then {@code ToolCallFinished} with the complete JSON.
 * {@code Finished} is always last and always present.
 */
public sealed interface LlmEvent {
    record TextDelta(int block, String text) implements LlmEvent {}

    record ReasoningDelta(int block, String text, Optional<String> signature) implements LlmEvent {}

    record ToolCallStarted(int block, String callId, String name) implements LlmEvent {}

    record ToolCallArgsDelta(int block, String json) implements LlmEvent {}

    /**
     * {@code argsJson} is the complete argument text as the model wrote it (may be malformed JSON); {@code signature}
     * is opaque provider state attached to the call that must be sent back with it (Gemini thought signatures).
     */
    record ToolCallFinished(int block, String callId, String name, String argsJson, Optional<String> signature) implements LlmEvent {
        public ToolCallFinished(int block, String callId, String name, String argsJson) {
            this(block, callId, name, argsJson, Optional.empty());
        }
    }

    /** A tool the provider ran itself (web search, code execution, ...): shown, never executed by Lathe. */
    record HostedToolUsed(int block, String callId, String name) implements LlmEvent {}

    record UsageReported(TokenUsage usage) implements LlmEvent {}

    /**
     * The rate-limit windows the response's headers reported (DESIGN §28), sent once per response before its
     * {@code Finished}, and only when it reported at least one.
     */
    record QuotaReported(List<QuotaWindow> windows) implements LlmEvent {
        public QuotaReported {
            windows = List.copyOf(windows);
        }
    }

    /**
     * The end of the response. {@code atOutputLimit}: the provider stopped it at the request's output limit. That is
     * {@link StopReason#LENGTH} unless the response asked for tools, whose reason stays {@link StopReason#TOOL_CALLS}
     * (DESIGN §18): then the flag alone says a call may have been cut mid-arguments. {@code reception}: whether the
     * provider took the request at all; one it {@link Reception#REFUSED refused} was never processed and costs nothing.
     */
    record Finished(StopReason reason, Optional<LlmError> error, boolean atOutputLimit, Reception reception) implements LlmEvent {
        public Finished(StopReason reason, Optional<LlmError> error, boolean atOutputLimit) { this(reason, error, atOutputLimit, Reception.TAKEN); }

        public Finished(StopReason reason, Optional<LlmError> error) { this(reason, error, reason == StopReason.LENGTH); }

        public static Finished ok(StopReason reason) { return new Finished(reason, Optional.empty()); }

        /** A response that asked for tools and was stopped at the output limit (its last call may be cut). */
        public static Finished toolCallsAtOutputLimit() { return new Finished(StopReason.TOOL_CALLS, Optional.empty(), true); }

        public static Finished failed(LlmError error) { return new Finished(StopReason.ERROR, Optional.of(error)); }

        /** A request the provider refused before any stream (an HTTP error status), or that never reached it. */
        public static Finished refused(LlmError error) { return new Finished(StopReason.ERROR, Optional.of(error), false, Reception.REFUSED); }

        /** Whether the provider refused the request before processing it: nothing was streamed and nothing is billed. */
        public boolean wasRefused() { return reception == Reception.REFUSED; }

        /** This end with {@code error} in place of its own (its reception kept). */
        public Finished withError(LlmError error) { return new Finished(reason, Optional.of(error), atOutputLimit, reception); }
    }

    /** Whether a provider took a request: what decides whether a failed one may have been billed. */
    enum Reception {
        /** A stream began (or whether one did is not known): the provider may have processed and billed the request. */
        TAKEN,
        /**
         * Refused before any stream: the provider answered with an HTTP error status (4xx, 5xx), or the request never
         * reached it (unreachable, an untrusted certificate, blocked by the network policy).
         */
        REFUSED
    }
}
