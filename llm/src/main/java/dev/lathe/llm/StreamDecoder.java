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

    /** The terminal event was seen: stop reading. */
    boolean isDone();

    /**
     * Whether {@code data} can only be the first event of another response, so a recording that holds several
     * responses back to back can be split even where the first one lacks its terminal event (a chat stream without
     * {@code [DONE]}).
     */
    default boolean startsAnotherResponse(String data) { return false; }
}
