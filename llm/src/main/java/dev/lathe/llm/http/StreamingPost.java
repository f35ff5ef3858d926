package dev.lathe.llm.http;

import dev.lathe.llm.Cancellation;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * What every streaming transport shares: sends the request, turns connect failures, HTTP errors, broken streams and
 * cancellation into a {@link StreamOutcome}, and leaves only the reading of a 2xx body to the framing.
 */
final class StreamingPost {
    private static final int MAX_ERROR_BODY = 64 * 1024;

    /** Reads a 2xx body to its end (or until the protocol is done); I/O failures are mapped by the caller. */
    @FunctionalInterface
    interface BodyReader {
        StreamOutcome read(InputStream in) throws IOException;
    }

    private StreamingPost() {}

    static StreamOutcome send(HttpClient client, HttpRequest request, Cancellation cancel, BodyReader reader) {
        if (cancel.isCancelled()) return new StreamOutcome.Cancelled();
        CompletableFuture<HttpResponse<InputStream>> pending = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try (AutoCloseable _ = cancel.onCancel(() -> pending.cancel(true))) {
            response = pending.get();
        } catch (CancellationException e) {
            return new StreamOutcome.Cancelled();
        } catch (ExecutionException e) {
            if (cancel.isCancelled()) return new StreamOutcome.Cancelled();
            return SseTransport.unreachable(e.getCause()) ? LocalServer.unreachable(request.uri(), e.getCause())
                    : new StreamOutcome.Broken(describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StreamOutcome.Cancelled();
        } catch (Exception e) {
            return new StreamOutcome.Broken(describe(e));
        }
        InputStream in = response.body();
        try (AutoCloseable _ = cancel.onCancel(() -> closeQuietly(in)); in) {
            if (response.statusCode() / 100 != 2) {
                String text = new String(in.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
                return new StreamOutcome.HttpFailure(response.statusCode(), text, lowerCase(response));
            }
            return reader.read(in);
        } catch (IOException e) {
            return cancel.isCancelled() ? new StreamOutcome.Cancelled() : new StreamOutcome.Broken("stream broke off: " + describe(e));
        } catch (Exception e) {
            return new StreamOutcome.Broken(describe(e));
        }
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
