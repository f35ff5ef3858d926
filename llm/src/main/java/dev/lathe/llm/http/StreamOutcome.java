package dev.lathe.llm.http;

import java.util.Map;

/** How a streamed POST ended, before the protocol interprets it. */
public sealed interface StreamOutcome {
    /** The server closed the stream normally (the protocol decides whether it was complete). */
    record Ended() implements StreamOutcome {}

    /** A non-2xx answer; {@code headers} keys are lower case. */
    record HttpFailure(int status, String body, Map<String, String> headers) implements StreamOutcome {}

    /** Connection reset, timed out, or the stream broke off. */
    record Broken(String message) implements StreamOutcome {}

    /** The request never reached the server: connection refused, unknown host, connect timeout. */
    record Unreachable(String message, java.util.Optional<java.net.URI> refusedLocalServer) implements StreamOutcome {}

    record Cancelled() implements StreamOutcome {}
}
