package dev.lathe.llm.http;

import dev.lathe.llm.Cancellation;
import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmSink;
import dev.lathe.llm.StreamDecoder;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs one streamed request for a protocol adapter: posts the body, feeds every event through the decoder into the
 * sink, and turns the ways a stream can end without its terminal event into one final {@code Finished}. Always
 * delivers exactly one {@code Finished}, last, and returns it. Credentials in the request headers never appear in
 * its error messages (see {@link Redaction}).
 */
public final class StreamDriver {
    private final StreamTransport transport;

    public StreamDriver(StreamTransport transport) {
        this.transport = transport;
    }

    public LlmEvent.Finished run(URI url, Map<String, String> headers, byte[] body, Cancellation cancel, LlmSink sink,
            StreamDecoder decoder, Function<StreamOutcome.HttpFailure, LlmError> httpError) {
        List<String> secrets = Redaction.secretsIn(headers);
        LlmEvent.Finished[] finished = {null};
        StreamOutcome outcome = transport.exchange(url, headers, body, cancel, payload -> {
            for (LlmEvent decoded : decoder.decode(payload)) {
                LlmEvent e = Redaction.redact(decoded, secrets);
                sink.accept(e);
                if (e instanceof LlmEvent.Finished f) finished[0] = f;
            }
            return !decoder.isDone();
        });
        if (finished[0] != null) return finished[0];
        LlmEvent.Finished last = switch (outcome) {
            case StreamOutcome.Ended _ -> {
                LlmEvent.Finished f = LlmEvent.Finished.failed(new LlmError.Transport("the stream ended before the response was complete"));
                for (LlmEvent e : decoder.end()) {
                    if (e instanceof LlmEvent.Finished done) f = done; else sink.accept(e);
                }
                yield f;
            }
            case StreamOutcome.HttpFailure h -> LlmEvent.Finished.failed(httpError.apply(h));
            case StreamOutcome.Broken b -> LlmEvent.Finished.failed(new LlmError.Transport(b.message()));
            case StreamOutcome.Unreachable u -> LlmEvent.Finished.failed(new LlmError.Unreachable("cannot reach the provider: " + u.message(), u.refusedLocalServer()));
            case StreamOutcome.Cancelled _ -> LlmEvent.Finished.failed(new LlmError.Transport("cancelled"));
        };
        last = (LlmEvent.Finished) Redaction.redact(last, secrets);
        sink.accept(last);
        return last;
    }
}
