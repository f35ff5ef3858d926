package dev.lathe.llm;

import java.util.List;

/**
 * The per-stream state machine of one protocol: event payloads in, normalised events out. A payload is the SSE
 * {@code data:} text; for binary-framed protocols (Bedrock event-stream) it is the frame as
 * {@code {"<eventType>": {...payload}}}.
 */
public interface StreamDecoder {
    List<LlmEvent> decode(String data);

    /** The connection closed; returns the events that closing implies (a {@code Finished}, complete or failed). */
    List<LlmEvent> end();

    /**
     * The usage the provider reported so far in a response that has not completed (Anthropic's {@code message_start}
     * and {@code message_delta} counts, a Chat Completions usage chunk before {@code [DONE]}): what a failed attempt
     * is known to have consumed. Empty when nothing was reported. A decoder reports usage with its terminal event; this
     * lets a stream that breaks before it still be charged (the stream driver reports it before the failure).
     */
    default java.util.Optional<TokenUsage> usageSoFar() { return java.util.Optional.empty(); }

    /** The terminal event was seen: stop reading. */
    boolean isDone();

    /**
     * Whether {@code data} can only be the first event of another response, so a recording that holds several
     * responses back to back can be split even where the first one lacks its terminal event (a chat stream without
     * {@code [DONE]}).
     */
    default boolean startsAnotherResponse(String data) { return false; }
}
