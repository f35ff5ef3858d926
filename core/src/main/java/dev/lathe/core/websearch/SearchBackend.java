package dev.lathe.core.websearch;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.lathe.protocol.wire.WireJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The four backends {@code websearch} speaks, each as its API documents it: the request (path, parameters, where the key
 * goes) and where the results are in the answer.
 * <ul>
 *   <li>SearXNG: {@code GET {url}/search?q=…&format=json} (the instance must enable the json format), no key;
 *       {@code results[].title/url/content}. No public base URL: {@code url} is required.</li>
 *   <li>Brave: {@code GET https://api.search.brave.com/res/v1/web/search?q=…&count=N}, key in
 *       {@code X-Subscription-Token}; {@code web.results[].title/url/description}.</li>
 *   <li>Tavily: {@code POST https://api.tavily.com/search} {@code {"query", "max_results"}}, key as
 *       {@code Authorization: Bearer}; {@code results[].title/url/content}.</li>
 *   <li>Exa: {@code POST https://api.exa.ai/search} {@code {"query", "numResults", "contents": {"text": {"maxCharacters"}}}},
 *       key in {@code x-api-key}; {@code results[].title/url/text}.</li>
 * </ul>
 */
enum SearchBackend {
    SEARXNG("searxng", Optional.empty(), false),
    BRAVE("brave", Optional.of("https://api.search.brave.com"), true),
    TAVILY("tavily", Optional.of("https://api.tavily.com"), true),
    EXA("exa", Optional.of("https://api.exa.ai"), true);

    final String id;
    final Optional<String> defaultUrl;
    final boolean needsKey;

    SearchBackend(String id, Optional<String> defaultUrl, boolean needsKey) {
        this.id = id;
        this.defaultUrl = defaultUrl;
        this.needsKey = needsKey;
    }

    static SearchBackend of(String id) {
        for (SearchBackend b : values()) if (b.id.equals(id)) return b;
        throw new IllegalArgumentException("unknown websearch provider " + id);
    }

    /** The endpoint under {@code base} (a base URL, with or without a trailing slash). */
    URI endpoint(String base) {
        String root = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return URI.create(root + (this == BRAVE ? "/res/v1/web/search" : "/search"));
    }

    /** The request for {@code query}, asking for {@code limit} results where the API can be told. */
    HttpRequest request(URI endpoint, Optional<String> key, String query, int limit, Duration timeout) {
        String q = URLEncoder.encode(query, StandardCharsets.UTF_8);
        var builder = HttpRequest.newBuilder().timeout(timeout).header("Accept", "application/json").header("User-Agent", "lathe-websearch");
        return switch (this) {
            case SEARXNG -> builder.uri(URI.create(endpoint + "?q=" + q + "&format=json")).GET().build();
            case BRAVE -> builder.uri(URI.create(endpoint + "?q=" + q + "&count=" + limit)).header("X-Subscription-Token", key.orElse("")).GET().build();
            case TAVILY -> {
                ObjectNode body = WireJson.mapper().createObjectNode().put("query", query).put("max_results", limit);
                yield builder.uri(endpoint).header("Authorization", "Bearer " + key.orElse("")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            }
            case EXA -> {
                ObjectNode body = WireJson.mapper().createObjectNode().put("query", query).put("numResults", limit);
                body.putObject("contents").putObject("text").put("maxCharacters", SearchHit.MAX_SNIPPET);
                yield builder.uri(endpoint).header("x-api-key", key.orElse("")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            }
        };
    }

    /** The hits of an answer, at most {@code limit}, those without an http(s) URL left out. */
    List<SearchHit> hits(JsonNode answer, int limit) {
        JsonNode results = this == BRAVE ? answer.path("web").path("results") : answer.path("results");
        List<SearchHit> out = new ArrayList<>();
        for (JsonNode r : results) {
            if (out.size() == limit) break;
            String snippet = switch (this) {
                case BRAVE -> r.path("description").asString("");
                case EXA -> r.path("text").asString(r.path("highlights").path(0).asString(r.path("summary").asString("")));
                case SEARXNG, TAVILY -> r.path("content").asString("");
            };
            SearchHit.of(r.path("title").asString(""), r.path("url").asString(""), snippet).ifPresent(out::add);
        }
        return out;
    }
}
