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

/** The few HTTP exchanges OAuth needs: a JSON GET, a form POST and a JSON POST, each answering status and JSON body. */
final class Http {
    static final JsonMapper JSON = JsonMapper.shared();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient client;

    Http(HttpClient client) {
        this.client = client;
    }

    record Answer(int status, Optional<JsonNode> body) {
        boolean ok() {
            return status / 100 == 2;
        }

        String field(String name) {
            return body.map(b -> b.path(name)).filter(JsonNode::isString).map(JsonNode::asString).orElse("");
        }
    }

    Answer getJson(URI uri) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .header("MCP-Protocol-Version", "2025-11-25").GET().build();
        return send(request);
    }

    Answer postForm(URI uri, Map<String, String> form) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build();
        return send(request);
    }

    Answer postJson(URI uri, JsonNode body) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        return send(request);
    }

    private Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
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
