package dev.lathe.core.subscription;

import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.network.Purpose;
import dev.lathe.protocol.Version;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The few exchanges a sign-in makes with an authorization server or token API: a form POST, a JSON POST and a GET,
 * each answering the status and the JSON object of the body (empty when it was not one). Never logs a body. Each goes
 * through the project's {@link OutboundGate} first: in local-only mode a server that is not loopback and not written in
 * {@code provider.NAME.oauth} is refused (and recorded) before anything is sent, as a {@link Blocked} (an
 * {@link IOException}) that {@link ChatGptSignIn#call} turns into a {@link SignInException.Blocked}: no retry is made. The client follows no redirect (the JDK's default), so an allowed server
 * cannot pass the exchange on to one that is not.
 */
final class PlanHttp {
    static final JsonMapper JSON = JsonMapper.shared();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final HttpClient SHARED = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final HttpClient client;
    private final OutboundGate gate;
    private final Purpose purpose;

    PlanHttp(HttpClient client, OutboundGate gate, Purpose purpose) {
        this.client = client;
        this.gate = gate;
        this.purpose = purpose;
    }

    record Answer(int status, Optional<JsonNode> body, java.net.http.HttpHeaders headers) {
        boolean ok() { return status / 100 == 2; }

        /**
         * The server asks to slow down (429, or GitHub's 403 of a rate limit: {@code x-ratelimit-remaining: 0} or a
         * {@code retry-after}), which says nothing about the credential.
         */
        boolean rateLimited() {
            return status == 429 || (status == 403 && (headers.firstValue("retry-after").isPresent()
                    || headers.firstValue("x-ratelimit-remaining").map(String::strip).filter("0"::equals).isPresent()));
        }

        /** The OAuth {@code error} code: a string, or the {@code code} of an error object (OpenAI's). */
        String error() {
            return body.map(b -> b.path("error")).map(e -> e.isObject() ? e.path("code") : e).filter(JsonNode::isString)
                    .map(JsonNode::asString).orElse("");
        }

        /** A string field of the body, or "" (a number is given as its text: some servers send intervals so). */
        String field(String name) {
            return body.map(b -> b.path(name)).filter(n -> n.isString() || n.isNumber()).map(JsonNode::asString).orElse("");
        }

        /** {@code error} and {@code error_description} (or GitHub's {@code message}) for a message; never a token. */
        String describe() {
            String error = field("error");
            String text = field("error_description").isEmpty() ? field("message") : field("error_description");
            return "HTTP " + status + (error.isEmpty() ? "" : " " + error) + (text.isEmpty() ? "" : " (" + text + ")");
        }
    }

    Answer postForm(URI uri, Map<String, String> form) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form(form))).build());
    }

    Answer postJson(URI uri, Map<String, String> fields) throws IOException, InterruptedException {
        var body = JSON.createObjectNode();
        fields.forEach(body::put);
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Content-Type", "application/json").header("User-Agent", userAgent())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    Answer get(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET();
        headers.forEach(request::header);
        return send(request.build());
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        if (!gate.allows(purpose, request.uri())) throw new Blocked(gate.refusal(purpose, request.uri()));
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        Optional<JsonNode> body = Optional.empty();
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node != null && node.isObject()) body = Optional.of(node);
        } catch (JacksonException notJson) {
            // an HTML error page or an empty body: the status tells the caller what happened
        }
        return new Answer(response.statusCode(), body, response.headers());
    }

    /** Local-only mode refused the exchange before it was sent; the caller makes it a {@link SignInException.Blocked}. */
    static final class Blocked extends IOException {
        Blocked(String message) {
            super(message);
        }
    }

    static String userAgent() { return "Lathe/" + Version.current(); }

    static String form(Map<String, String> form) {
        List<String> parts = new ArrayList<>();
        form.forEach((k, v) -> parts.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", parts);
    }
}
