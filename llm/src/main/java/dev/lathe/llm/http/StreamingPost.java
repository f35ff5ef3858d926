package dev.lathe.llm.http;

import dev.lathe.llm.Cancellation;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * What every streaming transport shares: sends the request, turns connect failures, untrusted certificates, HTTP
 * errors, answers of the wrong kind, broken streams and cancellation into a {@link StreamOutcome}, and leaves only
 * the reading of a 2xx stream to the framing.
 */
final class StreamingPost {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** How much of an answer of the wrong kind is read to quote from it. */
    private static final int EXCERPT_BYTES = 2048;

    /** Reads a 2xx body to its end (or until the protocol is done); I/O failures are mapped by the caller. */
    @FunctionalInterface
    interface BodyReader {
        StreamOutcome read(InputStream in) throws IOException;
    }

    private StreamingPost() {}

    /** {@code streamType}: the media type of the expected stream, named when the answer is something else. */
    static StreamOutcome send(HttpClient client, HttpRequest request, String streamType, Cancellation cancel, BodyReader reader) {
        if (cancel.isCancelled()) return new StreamOutcome.Cancelled();
        CompletableFuture<HttpResponse<InputStream>> pending = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try (AutoCloseable _ = cancel.onCancel(() -> pending.cancel(true))) {
            response = pending.get();
        } catch (CancellationException e) {
            return new StreamOutcome.Cancelled();
        } catch (ExecutionException e) {
            if (cancel.isCancelled()) return new StreamOutcome.Cancelled();
            Optional<String> untrusted = certificateProblem(e.getCause());
            if (untrusted.isPresent()) return new StreamOutcome.Untrusted(untrusted.get());
            return SseTransport.unreachable(e.getCause()) ? LocalServer.unreachable(request.uri(), e.getCause())
                    : new StreamOutcome.Broken(describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StreamOutcome.Cancelled();
        } catch (Exception e) {
            return new StreamOutcome.Broken(describe(e));
        }
        InputStream in = response.body();
        Map<String, String> headers = lowerCase(response);
        try (AutoCloseable _ = cancel.onCancel(() -> closeQuietly(in)); in) {
            if (response.statusCode() / 100 != 2) {
                String text = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
                return new StreamOutcome.HttpFailure(response.statusCode(), text, headers);
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
        } catch (Exception e) {
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

    private static Map<String, String> lowerCase(HttpResponse<?> response) {
        Map<String, String> out = new TreeMap<>();
        response.headers().map().forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        return out;
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing to abort: the reader sees the failure
        }
    }
}
