package dev.lathe.llm;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * A provider is data: which wire protocol it speaks, where, with which key and extra headers, and its models.
 * {@code baseUrl} is the API root as users write it, e.g. {@code https://api.openai.com/v1} or
 * {@code https://api.anthropic.com/v1}; protocols append their path ({@code /chat/completions}, {@code /messages}).
 */
public record Provider(String id, String protocol, URI baseUrl, Optional<ApiKey> apiKey, Map<String, String> headers,
        Map<String, ModelInfo> models) {

    /**
     * Where an error says a request went: {@code anthropic at api.anthropic.com:443} (the port filled in from the scheme),
     * so that every failure names the provider and the host whether it came from a response or not (issue 25).
     */
    public String origin() { return id + " at " + hostPort(baseUrl); }

    /** {@code host:port} of {@code url}, the port filled in from the scheme when the URL has none. */
    public static String hostPort(URI url) {
        int port = url.getPort() >= 0 ? url.getPort() : "http".equalsIgnoreCase(url.getScheme()) ? 80 : 443;
        String host = url.getHost() == null ? String.valueOf(url.getRawAuthority()) : url.getHost();
        return host + ":" + port;
    }

    /** {@code path} (starting with {@code /}) under the base URL, however the user wrote its end. */
    public URI endpoint(String path) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }
}
