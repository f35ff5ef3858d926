package dev.lathe.llm.http;

import java.util.Map;

/** How a streamed POST ended, before the protocol interprets it. */
public sealed interface StreamOutcome {
    /**
     * The server closed the stream normally (the protocol decides whether it was complete); {@code headers} are the
     * response's, keys lower case (empty when the outcome was made before a response existed).
     */
    record Ended(Map<String, String> headers) implements StreamOutcome {
        public Ended() { this(Map.of()); }
    }

    /** A non-2xx answer; {@code headers} keys are lower case. */
    record HttpFailure(int status, String body, Map<String, String> headers) implements StreamOutcome {}

    /** Connection reset, timed out, or the stream broke off; {@code headers} as for {@link Ended}. */
    record Broken(String message, Map<String, String> headers) implements StreamOutcome {
        public Broken(String message) { this(message, Map.of()); }
    }

    /**
     * A 2xx answer that is not a stream of the expected framing (an HTML page, a JSON document, lines that are not
     * server-sent events): {@code detail} says what came, with a short excerpt.
     */
    record Unexpected(String detail, Map<String, String> headers) implements StreamOutcome {}

    /** The TLS handshake failed on the server's certificate (not trusted, wrong host, expired): {@code detail} is the JDK's reason. */
    record Untrusted(String detail) implements StreamOutcome {}

    /** The request never reached the server: connection refused, unknown host, connect timeout. */
    record Unreachable(String message, java.util.Optional<java.net.URI> refusedLocalServer) implements StreamOutcome {}

    record Cancelled() implements StreamOutcome {}
}
