package dev.lathe.mcp.oauth;

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
 * The few HTTP exchanges OAuth needs for one server: a JSON GET, a form POST and a JSON POST, each answering status and
 * JSON body. Each asks {@code outbound} first ({@link OAuthException.Blocked} and nothing sent when it refuses), and none
 * follows a redirect: a 3xx is {@link Redirected}, naming where it pointed. Following one would reach a host nobody
 * asked {@code outbound} about (a loopback server bouncing the request off the machine in local-only mode), and a
 * followed 307 would carry the code, the verifier or the client secret there.
 */
final class Http {
    static final JsonMapper JSON = JsonMapper.shared();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient client;
    private final String server;
    private final OutboundCheck outbound;

    Http(HttpClient client, String server, OutboundCheck outbound) {
        this.client = client;
        this.server = server;
        this.outbound = outbound;
    }

    /** A request answered with a redirect, which is not followed. */
    static final class Redirected extends OAuthException {
        Redirected(URI from, int status, Optional<String> location) {
            super(from + " answered HTTP " + status + " redirecting to " + location.orElse("(no Location)")
                    + ": OAuth requests follow no redirect, so the metadata must name the final address");
        }
    }

    /** Throws {@link OAuthException.Blocked} when the policy refuses {@code target}: before anything is sent to it. */
    void allow(URI target) throws OAuthException {
        Optional<String> refused = outbound.refusal(server, target);
        if (refused.isPresent()) throw new OAuthException.Blocked(refused.get());
    }

    record Answer(int status, Optional<JsonNode> body) {
        boolean ok() {
            return status / 100 == 2;
        }

        String field(String name) {
            return body.map(b -> b.path(name)).filter(JsonNode::isString).map(JsonNode::asString).orElse("");
        }
    }

    Answer getJson(URI uri) throws IOException, InterruptedException, OAuthException {
        var request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .header("MCP-Protocol-Version", "2025-11-25").GET().build();
        return send(request);
    }

    Answer postForm(URI uri, Map<String, String> form) throws IOException, InterruptedException, OAuthException {
        var request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build();
        return send(request);
    }

    Answer postJson(URI uri, JsonNode body) throws IOException, InterruptedException, OAuthException {
        var request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        return send(request);
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException, OAuthException {
        allow(request.uri());
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 3)
            throw new Redirected(request.uri(), response.statusCode(), response.headers().firstValue("Location"));
        Optional<JsonNode> body = Optional.empty();
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node != null && node.isObject()) body = Optional.of(node);
        } catch (JacksonException notJson) {
            // an HTML error page or an empty body: the status tells the caller what happened
        }
        return new Answer(response.statusCode(), body);
    }

    static String form(Map<String, String> form) {
        List<String> parts = new ArrayList<>();
        form.forEach((k, v) -> parts.add(enc(k) + "=" + enc(v)));
        return String.join("&", parts);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
