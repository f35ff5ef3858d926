package dev.lathe.core.config;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@code "websearch": {"provider": "searxng"|"brave"|"tavily"|"exa", "url"?, "apiKey"?}} (DESIGN §29): the backend the
 * {@code websearch} tool asks, offered only when this is set. {@code url} is the backend's base URL (SearXNG has no
 * public one, so it needs it); {@code apiKey} is already expanded from {@code {env:…}}/{@code {file:…}}; without it the
 * key is the auth store's for the provider's name ({@code lathe auth login brave}). Never printed: {@link #toString}.
 */
public record WebSearchConfig(String provider, Optional<String> url, Optional<String> apiKey) {
    public static final List<String> PROVIDERS = List.of("searxng", "brave", "tavily", "exa");

    static Optional<WebSearchConfig> of(JsonNode node) {
        if (node == null || !node.isObject() || !node.has("provider")) return Optional.empty();
        return Optional.of(new WebSearchConfig(node.path("provider").asString(), text(node, "url"), text(node, "apiKey")));
    }

    private static Optional<String> text(JsonNode node, String key) {
        String value = node.path(key).asString("").strip();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    @Override public String toString() {
        return "WebSearchConfig[" + provider + ", " + url.orElse("default URL") + (apiKey.isPresent() ? ", key ***" : "") + "]";
    }
}
