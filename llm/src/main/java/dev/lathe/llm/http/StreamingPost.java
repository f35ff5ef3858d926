package dev.lathe.llm.http;

import dev.lathe.llm.Cancellation;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What every streaming transport shares: sends the request, turns connect failures, untrusted certificates, HTTP
 * errors, answers of the wrong kind, broken streams and cancellation into a {@link StreamOutcome}, and leaves only
 * the reading of a 2xx stream to the framing.
 */
final class StreamingPost {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** How much of an answer of the wrong kind is read to quote from it. */
    private static final int EXCERPT_BYTES = 2048;
    /** How long the answer's head may take: a model may think for minutes before its first byte. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** Reads a 2xx body to its end (or until the protocol is done); I/O failures are mapped by the caller. */
    @FunctionalInterface
    interface BodyReader {
        StreamOutcome read(InputStream in) throws IOException;
    }

    private StreamingPost() {}

    /**
     * POSTs {@code body} as JSON with {@code headers} and reads the answer on the calling thread. {@code streamType}:
     * the media type of the expected stream, asked for and named when the answer is something else.
     */
    static StreamOutcome send(BlockingHttp http, URI url, Map<String, String> headers, RequestBody body, String streamType, Cancellation cancel,
            BodyReader reader) {
        List<Map.Entry<String, String>> fields = new ArrayList<>(headers.size() + 2);
        fields.add(Map.entry("Content-Type", "application/json"));
        fields.add(Map.entry("Accept", streamType));
        fields.addAll(headers.entrySet());
        if (cancel.isCancelled()) return new StreamOutcome.Cancelled();
        BlockingHttp.Exchange exchange = http.exchange();
        // one registration for the whole exchange: cancelling closes the connection, whatever it is blocked on
        try (AutoCloseable _ = cancel.onCancel(exchange::abort)) {
            BlockingHttp.Response response;
            try {
                response = exchange.post(url, fields, body, TIMEOUT);
            } catch (IOException e) {
                if (cancel.isCancelled() || Thread.currentThread().isInterrupted()) return new StreamOutcome.Cancelled();
                Optional<String> untrusted = certificateProblem(e);
                if (untrusted.isPresent()) return new StreamOutcome.Untrusted(untrusted.get());
                return SseTransport.unreachable(e) ? LocalServer.unreachable(url, e) : new StreamOutcome.Broken(describe(e));
            }
            return answer(response, streamType, cancel, reader);
        } catch (IllegalArgumentException e) {
            // a URL or header that cannot be sent: the caller's mistake, thrown as the JDK client's request builder threw it
            throw e;
        } catch (Exception e) {
            return new StreamOutcome.Broken(describe(e));
        }
    }

    private static StreamOutcome answer(BlockingHttp.Response response, String streamType, Cancellation cancel, BodyReader reader) {
        int status = response.head().status();
        Map<String, String> headers = response.head().headers();
        try (InputStream in = response.body()) {
            if (status / 100 != 2) {
                String text = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
                return new StreamOutcome.HttpFailure(status, text, headers);
            }
            String type = headers.getOrDefault("content-type", "");
            if (notAStream(type)) {
                String excerpt = Excerpt.of(new String(in.readNBytes(EXCERPT_BYTES), StandardCharsets.UTF_8));
                return new StreamOutcome.Unexpected(mediaType(type) + " instead of " + streamType
                        + (excerpt.isEmpty() ? "" : ": " + excerpt), headers);
            }
            return withHeaders(reader.read(in), headers);
        } catch (IOException e) {
            return cancel.isCancelled() ? new StreamOutcome.Cancelled() : new StreamOutcome.Broken("stream broke off: " + describe(e), headers);
        } catch (RuntimeException e) {
            return new StreamOutcome.Broken(describe(e), headers);
        }
    }

    /**
     * A content type that is certainly not an event stream: a page (a captive portal, a proxy's login, a wrong base
     * URL) or a document. A missing or unusual type is given the benefit of the doubt: the framing judges the bytes.
     */
    static boolean notAStream(String contentType) {
        String t = mediaType(contentType);
        return t.equals("text/html") || t.equals("application/json") || t.endsWith("+json") || t.endsWith("/xml") || t.endsWith("+xml");
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static StreamOutcome withHeaders(StreamOutcome outcome, Map<String, String> headers) {
        return switch (outcome) {
            case StreamOutcome.Ended _ -> new StreamOutcome.Ended(headers);
            case StreamOutcome.Broken b -> new StreamOutcome.Broken(b.message(), headers);
            case StreamOutcome.Unexpected u -> new StreamOutcome.Unexpected(u.detail(), headers);
            case StreamOutcome.HttpFailure _, StreamOutcome.Unreachable _, StreamOutcome.Untrusted _, StreamOutcome.Cancelled _ -> outcome;
        };
    }

    /**
     * The reason a TLS handshake failed on the server's certificate — not trusted, issued for another name, expired —
     * as opposed to a network failure during the handshake, which is worth retrying.
     */
    static Optional<String> certificateProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof CertPathBuilderException || t instanceof CertPathValidatorException) {
                String m = t.getMessage();
                return Optional.of(m == null || m.isBlank() ? t.getClass().getSimpleName() : m);
            }
        }
        return Optional.empty();
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
