package dev.lathe.llm.http;

import dev.lathe.llm.Cancellation;
import dev.lathe.llm.sse.SseEvent;
import dev.lathe.llm.sse.SseParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * POSTs a JSON body and hands each server-sent event of the response to the caller, on the calling thread.
 * Never throws for network or HTTP failures: they come back as a {@link StreamOutcome}. Cancellation aborts the
 * request or closes the body stream at once.
 */
public final class SseTransport {
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final HttpClient client;

    public SseTransport(HttpClient client) {
        this.client = client;
    }

    /**
     * @param onEvent returns false to stop reading (the protocol saw its terminal event)
     */
    public StreamOutcome post(URI url, Map<String, String> headers, byte[] body, Cancellation cancel, Predicate<SseEvent> onEvent) {
        var builder = HttpRequest.newBuilder(url)
                .timeout(Duration.ofMinutes(10))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        if (cancel.isCancelled()) return new StreamOutcome.Cancelled();
        CompletableFuture<HttpResponse<InputStream>> pending = client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try (AutoCloseable _ = cancel.onCancel(() -> pending.cancel(true))) {
            response = pending.get();
        } catch (CancellationException e) {
            return new StreamOutcome.Cancelled();
        } catch (ExecutionException e) {
            if (cancel.isCancelled()) return new StreamOutcome.Cancelled();
            return unreachable(e.getCause()) ? new StreamOutcome.Unreachable(describe(e.getCause())) : new StreamOutcome.Broken(describe(e.getCause()));
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
            var parser = new SseParser();
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                var event = parser.line(line);
                if (event.isPresent() && !onEvent.test(event.get())) return new StreamOutcome.Ended();
            }
            var last = parser.finish();
            if (last.isPresent()) onEvent.test(last.get());
            return cancel.isCancelled() ? new StreamOutcome.Cancelled() : new StreamOutcome.Ended();
        } catch (IOException e) {
            return cancel.isCancelled() ? new StreamOutcome.Cancelled() : new StreamOutcome.Broken("stream broke off: " + describe(e));
        } catch (Exception e) {
            return new StreamOutcome.Broken(describe(e));
        }
    }

    /** Failures that happen before a connection exists, so nothing of the request was sent. */
    public static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.http.HttpConnectTimeoutException
                    || t instanceof java.net.UnknownHostException || t instanceof java.nio.channels.UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> lowerCase(HttpResponse<?> response) {
        Map<String, String> out = new TreeMap<>();
        response.headers().map().forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        return out;
    }

    private static String describe(Throwable e) {
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
