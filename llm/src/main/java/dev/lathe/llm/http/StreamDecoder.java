package dev.lathe.llm.http;

import dev.lathe.llm.LlmEvent;
import java.util.List;

/** The per-stream state machine of one protocol: SSE {@code data:} payloads in, normalised events out. */
public interface StreamDecoder {
    List<LlmEvent> decode(String data);

    /** The connection closed; returns the events that closing implies (a {@code Finished}, complete or failed). */
    List<LlmEvent> end();

    /** The terminal event was seen: stop reading. */
    boolean isDone();
}
