package dev.lathe.llm.http;

import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmSink;
import dev.lathe.llm.QuotaWindow;
import dev.lathe.llm.StreamDecoder;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs one streamed request for a protocol adapter: posts the body, feeds every event through the decoder into the
 * sink, and turns the ways a stream can end without its terminal event into one final {@code Finished}. Always
 * delivers exactly one {@code Finished}, last, and returns it. Its error names the provider, the host, the HTTP status
 * and the provider's request id ({@link ErrorOrigin}); one about a response the protocol could not read quotes what
 * came. The rate-limit windows the answer's headers report come just before it ({@link RateLimitHeaders}).
 * Credentials in the request headers never appear in its error messages (see {@link Redaction}).
 */
public final class StreamDriver {
    private final StreamTransport transport;

    public StreamDriver(StreamTransport transport) {
        this.transport = transport;
    }

    /** @param provider the provider's id, named in error messages */
    public LlmEvent.Finished run(String provider, URI url, Map<String, String> headers, RequestBody body, Cancellation cancel, LlmSink sink,
            StreamDecoder decoder, Function<StreamOutcome.HttpFailure, LlmError> httpError) {
        List<String> secrets = Redaction.secretsIn(headers);
        var origin = new ErrorOrigin(provider, url);
        LlmEvent.Finished[] finished = {null};
        boolean[] usageReported = {false};
        String[] lastPayload = {""};
        StreamOutcome outcome = transport.exchange(url, headers, body, cancel, payload -> {
            lastPayload[0] = payload;
            for (LlmEvent decoded : decoder.decode(payload)) {
                // Finished is held back: its error is explained with the response's headers once the exchange is over
                if (decoded instanceof LlmEvent.Finished f) {
                    finished[0] = f;
                } else {
                    if (decoded instanceof LlmEvent.UsageReported) usageReported[0] = true;
                    sink.accept(decoded);
                }
            }
            return !decoder.isDone();
        });
        Map<String, String> responseHeaders = headersOf(outcome);
        LlmEvent.Finished last;
        if (finished[0] != null) {
            last = finished[0].error().map(e -> LlmEvent.Finished.failed(origin.answered(quoting(e, lastPayload[0]), 200, responseHeaders,
                    lastPayload[0]))).orElse(finished[0]);
        } else {
            last = switch (outcome) {
                case StreamOutcome.Ended _ -> {
                    LlmEvent.Finished f = LlmEvent.Finished.failed(new LlmError.Transport("the stream ended before the response was complete"));
                    for (LlmEvent e : decoder.end()) {
                        if (e instanceof LlmEvent.Finished done) {
                            f = done;
                        } else {
                            if (e instanceof LlmEvent.UsageReported) usageReported[0] = true;
                            sink.accept(e);
                        }
                    }
                    yield f.error().isEmpty() ? f : LlmEvent.Finished.failed(origin.answered(f.error().get(), 200, responseHeaders, ""));
                }
                // refused before any stream: never processed, so never billed (a retried 500 costs nothing)
                case StreamOutcome.HttpFailure h -> LlmEvent.Finished.refused(origin.answered(httpError.apply(h), h.status(), h.headers(), h.body()));
                case StreamOutcome.Broken b -> LlmEvent.Finished.failed(b.headers().isEmpty()
                        ? new LlmError.Transport(origin.provider() + " at " + origin.hostPort() + ": " + b.message())
                        : origin.answered(new LlmError.Transport(b.message()), 200, b.headers(), ""));
                case StreamOutcome.Unexpected u -> LlmEvent.Finished.failed(origin.answered(LlmError.unexpected(u.detail()), 200, u.headers(), ""));
                case StreamOutcome.Unreachable u -> LlmEvent.Finished.refused(origin.unreachable(u));
                case StreamOutcome.Untrusted t -> LlmEvent.Finished.refused(origin.untrusted(t.detail()));
                case StreamOutcome.Cancelled _ -> LlmEvent.Finished.failed(new LlmError.Transport("cancelled"));
            };
        }
        // an attempt that failed after the provider counted tokens is charged what it counted (the caller's spend
        // limits see it before a retry); a decoder reports usage only with a complete response
        if (last.error().isPresent() && !usageReported[0]) decoder.usageSoFar().ifPresent(u -> sink.accept(new LlmEvent.UsageReported(u)));
        // the provider's own account of its limits, read from the answer's head whatever became of its body (a 429's too)
        List<QuotaWindow> quota = RateLimitHeaders.of(responseHeaders, Instant.now());
        if (!quota.isEmpty()) sink.accept(new LlmEvent.QuotaReported(quota));
        last = (LlmEvent.Finished) Redaction.redact(last, secrets);
        sink.accept(last);
        return last;
    }

    /** A decoder's "cannot read this" with a quote of the payload it could not read; other errors as they are. */
    private static LlmError quoting(LlmError error, String payload) {
        if (!error.message().startsWith(LlmError.UNEXPECTED) || payload.isEmpty()) return error;
        return LlmError.reworded(error, error.message() + "; received: " + Excerpt.of(payload));
    }

    private static Map<String, String> headersOf(StreamOutcome outcome) {
        return switch (outcome) {
            case StreamOutcome.Ended e -> e.headers();
            case StreamOutcome.Broken b -> b.headers();
            case StreamOutcome.Unexpected u -> u.headers();
            case StreamOutcome.HttpFailure h -> h.headers();
            case StreamOutcome.Unreachable _, StreamOutcome.Untrusted _, StreamOutcome.Cancelled _ -> Map.of();
        };
    }
}
