package dev.lathe.client;

import dev.lathe.protocol.api.ApiRoute;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How one API call goes over HTTP: the request (bearer token, the directory header, the client's environment where
 * the server reads it) and its answer (the body of a 2xx, else the {@link dev.lathe.protocol.api.LatheException} of its
 * status; {@link LatheClientException} when the server cannot be reached). {@link HttpLatheClient} says which call is
 * which request. Every request names its {@link ApiRoute} and the values of its path parameters: the path comes from
 * the one route table, never from a string written here ({@code RoutePathRuleTest}).
 */
final class ApiRequests {
    static final String DIRECTORY_HEADER = "X-Lathe-Directory";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;
    private final String token;
    private final Optional<String> directory;
    /** Sent with the requests that create or prompt a session ({@link HttpLatheClient#withEnvironment}). */
    private final ClientEnvironment environment;
    private final HttpTransport transport;

    ApiRequests(String baseUrl, String token, Optional<String> directory, ClientEnvironment environment, HttpTransport transport) {
        this.baseUrl = baseUrl;
        this.token = token;
        this.directory = directory;
        this.environment = environment;
        this.transport = transport;
    }

    HttpTransport.Request get(Target target, Map<String, String> query) {
        return request(target, query, Optional.empty());
    }

    HttpTransport.Request post(Target target, Object body) {
        return withBody(target, body);
    }

    /** A request without a body (a POST's sent with {@code Content-Length: 0}). */
    HttpTransport.Request empty(Target target, Map<String, String> query) {
        return request(target, query, target.route().method().equals("POST") ? Optional.of(new byte[0]) : Optional.empty());
    }

    HttpTransport.Request withBody(Target target, Object body) {
        return json(target, Map.of(), WireJson.write(body));
    }

    HttpTransport.Request json(Target target, Map<String, String> query, String json) {
        return request(target, query, Optional.of(json.getBytes(StandardCharsets.UTF_8))).withHeader("Content-Type", "application/json");
    }

    /** A route with the values of its path parameters: what a request is sent to. */
    record Target(ApiRoute route, String path) {
        static Target of(ApiRoute route, String... values) {
            return new Target(route, route.path(values));
        }
    }

    HttpTransport.Request request(Target target, Map<String, String> query, Optional<byte[]> body) {
        var uri = new StringBuilder(baseUrl).append(target.path());
        char sep = '?';
        for (var e : query.entrySet()) {
            uri.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        var headers = new LinkedHashMap<String, String>();
        headers.put("Authorization", "Bearer " + token);
        headers.put("Accept", "application/json");
        if (directory.isPresent()) headers.put(DIRECTORY_HEADER, encodeHeader(directory.get()));
        // only where the server reads it, as the route table says (a server elsewhere never gets it: withEnvironment)
        // an empty map rather than the record's equals: a record's first equals spins its method handles (~7 classes) on the
        // way to a run's first request (issue 70)
        if (!environment.variables().isEmpty() && target.route().environment() == ApiRoute.Environment.READ) {
            headers.put(ClientEnvironment.HEADER, environment.encode());
        }
        return new HttpTransport.Request(target.route().method(), URI.create(uri.toString()), headers, body, REQUEST_TIMEOUT,
                HttpTransport.BodyTimeout.APPLIES);
    }

    String send(HttpTransport.Request request) {
        return answer(request).body();
    }

    /** A successful answer's body with its headers (names case-insensitive), for the calls that read a header. */
    record Answer(String body, Map<String, String> headers) {
        Optional<String> header(String name) { return Optional.ofNullable(headers.get(name)); }
    }

    Answer answer(HttpTransport.Request request) {
        int status;
        String body;
        Map<String, String> headers;
        try (var response = transport.send(request)) {
            status = response.status();
            headers = response.headers();
            body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // on a virtual thread an interrupt closes the socket, so it surfaces as an I/O failure
            if (Thread.currentThread().isInterrupted()) throw interrupted(request, e);
            throw new LatheClientException(unreachable(request.uri(), e) + " (" + request.method() + " " + request.uri().getPath() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(request, e);
        }
        if (status / 100 == 2) return new Answer(body, headers);
        throw ErrorAnswers.of(status, body);
    }

    private static LatheClientException interrupted(HttpTransport.Request request, Exception e) {
        return new LatheClientException("interrupted during " + request.method() + " " + request.uri().getPath(), e);
    }

    static String unreachable(URI uri, IOException e) {
        String reason = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return "cannot reach the Lathe server at " + uri.getScheme() + "://" + uri.getRawAuthority() + ": " + reason;
    }

    /** Percent-encodes UTF-8 bytes outside {@code A-Z a-z 0-9 - _ . ~ / :}, as the server decodes the header. */
    static String encodeHeader(String value) {
        var out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || c == '/' || c == ':';
            if (plain) out.append((char) c);
            else out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
        }
        return out.toString();
    }
}
