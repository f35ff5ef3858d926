package dev.lathe.server.http;

import com.sun.net.httpserver.HttpExchange;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.ErrorBody;
import dev.lathe.protocol.wire.JsonMismatch;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.server.users.User;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One request as a route sees it: decoded path and query parameters, headers, a size-capped JSON body, and the
 * one response it may send. Not thread-safe; lives on the request's virtual thread.
 */
final class Call {
    static final String DIRECTORY_HEADER = "X-Lathe-Directory";
    private static final String JSON = "application/json";
    /** Request bodies are read with duplicate keys refused (RFC 8259 leaves them undefined; issue 25). */
    private static final ObjectReader STRICT = WireJson.mapper().reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    private final HttpExchange exchange;
    private final Map<String, String> params;
    private Map<String, String> query = Map.of();
    private boolean queryParsed;
    private final long maxBodyBytes;
    private final java.util.Optional<User> caller;
    private final ClientEnvironment environment;
    private boolean responded;

    /**
     * {@code caller}: who sent the request, once its credential was checked (empty before, and on public routes);
     * {@code environment}: the client environment the {@link Dispatcher} honoured for it ({@link ClientEnvironments}).
     */
    Call(HttpExchange exchange, Map<String, String> params, long maxBodyBytes, java.util.Optional<User> caller,
            ClientEnvironment environment) {
        this.exchange = exchange;
        this.params = params;
        this.maxBodyBytes = maxBodyBytes;
        this.caller = caller;
        this.environment = environment;
    }

    /** Who sent this request (a route that needs the token always has one). */
    User caller() {
        return caller.orElseThrow(() -> new IllegalStateException("a public route has no caller"));
    }

    HttpExchange exchange() { return exchange; }

    /**
     * The client environment this request's sessions use (DESIGN §26): the {@code X-Lathe-Environment} of the node's own
     * user on a route that reads it, {@link ClientEnvironment#NONE} otherwise. Routes never read the header themselves.
     */
    ClientEnvironment environment() { return environment; }

    /** A path parameter of the matched template; always present when the template names it. */
    String param(String name) {
        String value = params.get(name);
        if (value == null) throw new IllegalStateException("route has no parameter " + name);
        return value;
    }

    /** A path parameter parsed as an id; @throws LatheException.InvalidInput when it is not one */
    <T> T id(String name, java.util.function.Function<String, T> parse) {
        return parseId(param(name), parse);
    }

    static <T> T parseId(String raw, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(raw);
        } catch (IllegalArgumentException e) {
            throw new LatheException.InvalidInput(e.getMessage());
        }
    }

    /** @throws LatheException.InvalidInput naming the parameter when it is missing or blank */
    String requiredQuery(String name) {
        return query(name).filter(v -> !v.isBlank()).orElseThrow(() -> new LatheException.InvalidInput("query parameter '" + name + "' is required"));
    }

    /** An optional positive integer query parameter, capped at {@code max}. @throws LatheException.InvalidInput when not a number */
    int intQuery(String name, int fallback, int max) {
        Optional<String> raw = query(name).filter(v -> !v.isBlank());
        if (raw.isEmpty()) return fallback;
        try {
            int value = Integer.parseInt(raw.get().strip());
            if (value <= 0) throw new NumberFormatException();
            return Math.min(value, max);
        } catch (NumberFormatException e) {
            throw new LatheException.InvalidInput("query parameter '" + name + "' must be a positive integer, not '" + raw.get() + "'");
        }
    }

    /** The project folder, required. @throws LatheException.InvalidInput when the request names none */
    String requiredDirectory() {
        return directory().orElseThrow(() -> new LatheException.InvalidInput(
                "directory is required (X-Lathe-Directory header or directory query parameter)"));
    }

    /** @throws LatheException.InvalidInput when the query string has broken escapes */
    Optional<String> query(String name) {
        if (!queryParsed) {
            query = parseQuery(Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""));
            queryParsed = true;
        }
        return Optional.ofNullable(query.get(name));
    }

    Optional<String> header(String name) { return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name)); }

    /**
     * The project folder the request names: the {@code directory} query parameter when present (an empty value
     * means "no folder"), otherwise the {@code X-Lathe-Directory} header, percent-decoded (clients encode it so any
     * path fits in a header; raw UTF-8 from clients that do not is accepted too).
     */
    Optional<String> directory() {
        Optional<String> fromQuery = query("directory");
        if (fromQuery.isPresent()) return fromQuery.filter(d -> !d.isBlank());
        return header(DIRECTORY_HEADER).map(String::strip).filter(d -> !d.isEmpty()).map(Call::rawUtf8).map(Percent::decode);
    }

    /** Header values arrive as ISO-8859-1 characters; bytes above 0x7F were most likely UTF-8. */
    private static String rawUtf8(String headerValue) {
        if (headerValue.chars().allMatch(c -> c < 0x80) || headerValue.chars().anyMatch(c -> c > 0xFF)) return headerValue;
        return new String(headerValue.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /**
     * Reads the body as a JSON object.
     *
     * @throws HttpRefusal 415 without {@code Content-Type: application/json}, LatheException.TooLarge above the size cap, InvalidInput when the
     *                      body is empty or not a JSON object
     */
    ObjectNode jsonObject() throws IOException {
        String contentType = header("Content-Type").orElse("");
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals(JSON)) {
            throw HttpRefusal.unsupportedMediaType(
                    "expected Content-Type: application/json" + (contentType.isEmpty() ? "" : ", got '" + contentType + "'"));
        }
        byte[] body = readCapped();
        if (body.length == 0) throw new LatheException.InvalidInput("the request body is empty; expected a JSON object");
        JsonNode tree;
        try {
            tree = STRICT.readTree(body);
        } catch (StreamReadException e) {
            // a repeated key would otherwise let the last one win silently, so two parsers could read two different requests
            if (e.getOriginalMessage().startsWith("Duplicate Object property")) {
                throw new LatheException.InvalidInput("malformed JSON: duplicate key " + duplicateKey(e.getOriginalMessage()) + " in the request body");
            }
            throw new LatheException.InvalidInput("malformed JSON: " + e.getOriginalMessage());
        } catch (JacksonException e) {
            throw new LatheException.InvalidInput("malformed JSON: " + e.getOriginalMessage());
        }
        if (!(tree instanceof ObjectNode object)) throw new LatheException.InvalidInput("expected a JSON object");
        return object;
    }

    /**
     * Reads the body as an HTML form ({@code application/x-www-form-urlencoded}): the web login page's post.
     *
     * @throws HttpRefusal 415 for another content type, LatheException.TooLarge above the size cap
     */
    Map<String, String> formFields() throws IOException {
        String mediaType = header("Content-Type").orElse("").split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/x-www-form-urlencoded")) {
            throw HttpRefusal.unsupportedMediaType("expected Content-Type: application/x-www-form-urlencoded");
        }
        var fields = new java.util.LinkedHashMap<String, String>();
        for (String pair : new String(readCapped(), StandardCharsets.US_ASCII).split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.putIfAbsent(name, value);
        }
        return fields;
    }

    /** {@code "name"} out of Jackson's {@code Duplicate Object property "name"}. */
    private static String duplicateKey(String message) {
        int open = message.indexOf('"');
        int close = message.lastIndexOf('"');
        return open >= 0 && close > open ? "'" + message.substring(open + 1, close) + "'" : "(unnamed)";
    }

    /** Maps a JSON object onto a protocol record. @throws LatheException.InvalidInput naming what did not fit */
    static <T> T convert(ObjectNode node, Class<T> type) {
        try {
            return WireJson.mapper().treeToValue(node, type);
        } catch (JacksonException e) {
            throw new LatheException.InvalidInput("invalid request body: " + JsonMismatch.describe(e, "field"));
        }
    }

    /** JSON answers at least this large are gzipped for clients that accept it. */
    static final int GZIP_FROM = 16 * 1024;

    void json(int status, Object body) throws IOException {
        writtenJson(status, WireJson.write(body));
    }

    /** {@code json} already serialised: for generic bodies whose declared type decides the shape (maps of sealed types). */
    void writtenJson(int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json; charset=utf-8");
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        // large answers (a long transcript, the model list) to a browser, maybe a phone behind a proxy: gzipped
        if (bytes.length >= GZIP_FROM && header("Accept-Encoding").orElse("").contains("gzip")) {
            var out = new java.io.ByteArrayOutputStream(bytes.length / 4);
            try (var z = new java.util.zip.GZIPOutputStream(out)) {
                z.write(bytes);
            }
            bytes = out.toByteArray();
            headers.set("Content-Encoding", "gzip");
            headers.set("Vary", "Accept-Encoding");
        }
        responded = true;
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A 303 to {@code location} setting {@code cookie} ({@code Set-Cookie} value). */
    void redirect(String location, String cookie) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Location", location);
        headers.set("Set-Cookie", cookie);
        headers.set("Cache-Control", "no-store");
        responded = true;
        exchange.sendResponseHeaders(303, -1);
        exchange.close();
    }

    /** Plain text of a given media type ({@code GET /metrics}: Prometheus's text format), never sniffed, never cached. */
    void text(int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        responded = true;
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A small HTML page (the web login's answers to a browser), under the web UI's security headers. */
    void html(int status, String page) throws IOException {
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "text/html; charset=utf-8");
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "same-origin");
        headers.set("Content-Security-Policy", WebAssets.CONTENT_SECURITY_POLICY);
        responded = true;
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    void error(int status, String code, String message) throws IOException {
        json(status, ErrorBody.of(code, message));
    }

    /** Marks the response as started by a streaming route, so errors after this point only close the connection. */
    void markResponded() { responded = true; }

    boolean responded() { return responded; }

    private byte[] readCapped() throws IOException {
        Optional<String> declared = header("Content-Length");
        if (declared.isPresent()) {
            try {
                if (Long.parseLong(declared.get().strip()) > maxBodyBytes) throw tooLarge();
            } catch (NumberFormatException e) {
                throw new LatheException.InvalidInput("invalid Content-Length");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes((int) maxBodyBytes + 1);
            if (body.length > maxBodyBytes) throw tooLarge();
            return body;
        }
    }

    private LatheException tooLarge() {
        return new LatheException.TooLarge("payload_too_large", "the request body is larger than " + maxBodyBytes + " bytes");
    }

    private static Map<String, String> parseQuery(String raw) {
        var out = new HashMap<String, String>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = Percent.decodeForm(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : Percent.decodeForm(pair.substring(eq + 1));
            out.putIfAbsent(key, value);
        }
        return out;
    }
}
