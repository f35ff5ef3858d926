package dev.lathe.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How this client exchanges one request with the server. A plain {@code http://} server (the local daemon always is
 * one) is reached over a bare socket ({@link SocketTransport}): on a cold JVM the JDK's {@code java.net.http}
 * client and its TLS set-up cost more than the requests themselves. An {@code https://} server (a remote one behind a
 * TLS proxy) keeps the JDK client with its default TLS context ({@link JdkTransport}).
 *
 * <p>Thread-safe. {@link #close} aborts exchanges still open and refuses new ones.
 */
sealed interface HttpTransport extends AutoCloseable permits SocketTransport, JdkTransport {

    /** Whether the request's timeout also limits each read of the response body, or only the wait for its headers. */
    enum BodyTimeout {
        /** An ordinary answer: a body that stalls for longer than the timeout is a failure. */
        APPLIES,
        /** A stream such as {@code GET /events}, idle for long periods once it is open. */
        NONE
    }

    /**
     * One request.
     *
     * @param uri     the full address, path and query included
     * @param headers sent in this order; never {@code Host}, {@code Content-Length} or {@code Connection}, which the
     *                transport writes itself
     * @param body    sent with a {@code Content-Length}; empty for none (an empty array sends {@code Content-Length: 0})
     * @param timeout for the response headers, and with {@link BodyTimeout#APPLIES} for each read of the body
     */
    record Request(String method, URI uri, Map<String, String> headers, Optional<byte[]> body, Duration timeout,
            BodyTimeout bodyTimeout) {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(bodyTimeout, "bodyTimeout");
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        /** This request with {@code name} set to {@code value} (replacing a header of the same name). */
        Request withHeader(String name, String value) {
            var copy = new LinkedHashMap<>(headers);
            copy.put(name, value);
            return new Request(method, uri, copy, body, timeout, bodyTimeout);
        }

        Request withTimeout(Duration newTimeout) {
            return new Request(method, uri, headers, body, newTimeout, bodyTimeout);
        }

        /** This request for a stream: {@link #timeout} limits only the wait for the response headers. */
        Request streaming() {
            return new Request(method, uri, headers, body, timeout, BodyTimeout.NONE);
        }
    }

    /**
     * The answer: its status, its headers (names case-insensitive, repeated ones joined with {@code ", "}) and its
     * body. Closing the body, from any thread, ends the exchange and releases its connection.
     */
    record Response(int status, Map<String, String> headers, InputStream body) implements AutoCloseable {
        Optional<String> header(String name) { return Optional.ofNullable(headers.get(name)); }

        @Override
        public void close() throws IOException { body.close(); }
    }

    /**
     * Sends {@code request} and returns once the response headers are in.
     *
     * @throws IOException when the server cannot be reached, does not answer in time (the message says it timed out)
     *                     or answers something that is not HTTP/1.1
     */
    Response send(Request request) throws IOException, InterruptedException;

    @Override
    void close();

    /** The transport for the server at {@code server}: the JDK client for {@code https}, a bare socket otherwise. */
    static HttpTransport forServer(URI server, Duration connectTimeout) {
        return "https".equalsIgnoreCase(server.getScheme()) ? new JdkTransport(connectTimeout) : new SocketTransport(connectTimeout);
    }
}
