package dev.lathe.llm;

import java.util.List;
import java.util.Map;

/**
 * The pure decoding half of one wire protocol, without any I/O: streamed events, complete (non-streaming) response
 * bodies and HTTP error bodies. Used by the protocol itself, by {@code lathe debug decode} and by the golden tests.
 */
public interface Codec {
    String protocol();

    /** A fresh decoder for one streamed response. */
    StreamDecoder streamDecoder();

    /** The events a complete non-streaming response body stands for, ending with {@code Finished}. */
    List<LlmEvent> decodeBody(String body);

    /** The error an HTTP failure stands for; {@code headers} keys are lower case. */
    LlmError decodeError(int status, String body, Map<String, String> headers);
}
