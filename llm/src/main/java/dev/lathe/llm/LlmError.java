package dev.lathe.llm;

import java.time.Duration;
import java.util.Optional;

/** A provider or network failure, as a value. Messages never contain credentials. */
public sealed interface LlmError {
    String message();

    /** 429 and friends; {@code retryAfter} from {@code retry-after(-ms)} or the body when given. */
    record RateLimited(Optional<Duration> retryAfter, String message) implements LlmError {}

    /** 529 / 503 / overloaded_error. */
    record Overloaded(Optional<Duration> retryAfter, String message) implements LlmError {}

    /** The prompt does not fit the model's context window: compact, do not retry. */
    record ContextOverflow(String message) implements LlmError {}

    /** 401 / 403: bad or missing key. */
    record Unauthorized(String message) implements LlmError {}

    /** Other 4xx the request itself caused (also quota exhausted): do not retry. */
    record InvalidRequest(int status, String message) implements LlmError {}

    /**
     * Connection reset, 5xx, malformed or truncated stream, cancellation. A response the protocol could not read says
     * so with {@link #unexpected}.
     */
    record Transport(String message) implements LlmError {}

    /**
     * Nothing was sent: connection refused, unknown host, connect timeout. Retryable, and a reason to fail over at once.
     * {@code refusedLocalServer}: the URL of a server on this machine (loopback) that refused the connection — it is not
     * running, and waiting for it helps nobody, so it is not retried. {@code blocked}: Lathe's own network policy
     * (local-only mode) refused the connection before it was made; the next attempt meets the same policy, so it is not
     * retried either (a fallback model may still take over). Both keep the kind {@code unreachable} on the wire.
     */
    record Unreachable(String message, java.util.Optional<java.net.URI> refusedLocalServer, boolean blocked) implements LlmError {
        public Unreachable(String message) { this(message, java.util.Optional.empty()); }

        public Unreachable(String message, java.util.Optional<java.net.URI> refusedLocalServer) { this(message, refusedLocalServer, false); }

        /** A connection the network policy refused: {@code message} says which policy and what would have been reached. */
        public static Unreachable blockedBy(String message) { return new Unreachable(message, java.util.Optional.empty(), true); }

        /** Whether another attempt could change anything: not when a local server refused, nor when the policy did. */
        public boolean worthRetrying() { return refusedLocalServer.isEmpty() && !blocked; }
    }

    /** No progress on the stream for the idle timeout. */
    record Stalled(String message) implements LlmError {}

    /**
     * The server's TLS certificate was not trusted (self-signed, issued for another host, expired, or signed by a CA
     * the trust store does not hold). Never retried: the next attempt meets the same certificate.
     */
    record Untrusted(String message) implements LlmError {}

    /** How a message about a response the protocol cannot read begins: the user sees this, then what came. */
    String UNEXPECTED = "unexpected response from the provider";

    /** A response the protocol cannot read (an unparseable event, an HTML page with status 200): {@code detail} says what. */
    static Transport unexpected(String detail) {
        return new Transport(UNEXPECTED + ": " + detail);
    }

    /** {@code error} with {@code message} in place of its own, everything else kept. */
    static LlmError reworded(LlmError error, String message) {
        return switch (error) {
            case RateLimited r -> new RateLimited(r.retryAfter(), message);
            case Overloaded o -> new Overloaded(o.retryAfter(), message);
            case ContextOverflow _ -> new ContextOverflow(message);
            case Unauthorized _ -> new Unauthorized(message);
            case InvalidRequest i -> new InvalidRequest(i.status(), message);
            case Transport _ -> new Transport(message);
            case Unreachable u -> new Unreachable(message, u.refusedLocalServer(), u.blocked());
            case Stalled _ -> new Stalled(message);
            case Untrusted _ -> new Untrusted(message);
        };
    }

    /** Stable wire name of the kind, e.g. {@code rate_limited}. */
    static String kind(LlmError error) {
        return switch (error) {
            case RateLimited _ -> "rate_limited";
            case Overloaded _ -> "overloaded";
            case ContextOverflow _ -> "context_overflow";
            case Unauthorized _ -> "unauthorized";
            case InvalidRequest _ -> "invalid_request";
            case Transport _ -> "transport";
            case Unreachable _ -> "unreachable";
            case Stalled _ -> "stalled";
            case Untrusted _ -> "untrusted_certificate";
        };
    }
}
