package dev.lathe.core.websearch;

import dev.lathe.core.config.WebSearchConfig;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code websearch {query, limit?}}: asks the configured backend ({@link SearchBackend}) and answers numbered results,
 * each a title, a URL and a snippet. Its permission key is {@code websearch}, the query its pattern (the pipeline asks,
 * as for webfetch); local-only mode refuses a backend off loopback before connecting. A backend that errors, hangs or
 * answers something other than JSON fails the call with one line and the turn goes on. The key goes only into the
 * request's header: never into the result, an error or the log.
 */
final class WebSearchTool implements Tool<WebSearchTool.Args> {
    record Args(String query, Optional<Integer> limit) {}

    static final String NAME = "websearch";
    static final int DEFAULT_LIMIT = 5;
    static final int MAX_LIMIT = 10;
    static final int MAX_QUERY = 400;
    static final int MAX_ANSWER_BYTES = 2 * 1024 * 1024;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "query":{"type":"string","description":"What to search the web for"},\
            "limit":{"type":"integer","description":"How many results (default 5, at most 10)"}},\
            "required":["query"],"additionalProperties":false}""";

    private final WebSearchConfig config;
    private final SearchBackend backend;
    private final Supplier<Optional<String>> storedKey;
    private final Duration timeout;

    /** @param storedKey the auth store's key for the provider, asked only when the config gives none */
    WebSearchTool(WebSearchConfig config, Supplier<Optional<String>> storedKey, Duration timeout) {
        this.config = config;
        this.backend = SearchBackend.of(config.provider());
        this.storedKey = storedKey;
        this.timeout = timeout;
    }

    /** The backend's endpoint, or empty when there is no base URL (SearXNG without {@code url}). */
    Optional<URI> endpoint() {
        try {
            return config.url().or(() -> backend.defaultUrl).map(backend::endpoint);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override public String name() { return NAME; }

    @Override public String description() {
        return "Search the web. Returns numbered results, each a title, URL and short snippet; read a page with webfetch.";
    }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.REACHES_NETWORK); }

    @Override public PermissionSource permission() { return PermissionSource.value("query"); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        String query = args.query() == null ? "" : args.query().strip();
        if (query.isEmpty()) throw new ToolFailure("websearch needs a query");
        if (query.length() > MAX_QUERY) throw new ToolFailure("the query is longer than " + MAX_QUERY + " characters; search for something shorter");
        int limit = Math.max(1, Math.min(MAX_LIMIT, args.limit().orElse(DEFAULT_LIMIT)));
        URI endpoint = endpoint().orElseThrow(() -> new ToolFailure("websearch: " + backend.id + " needs its base URL: set websearch.url in lathe.json"));
        Optional<String> key = config.apiKey().or(storedKey);
        if (backend.needsKey && key.isEmpty()) {
            throw new ToolFailure("websearch: no key for " + backend.id + ": set websearch.apiKey (e.g. \"{env:" + backend.id.toUpperCase(Locale.ROOT)
                    + "_API_KEY}\") or run lathe auth login " + backend.id);
        }
        // local-only mode: a backend off loopback is refused here, before any connection (decision 120)
        ctx.guards().permissions().connecting(endpoint);
        JsonNode answer = ask(endpoint, key, query, limit);
        List<SearchHit> hits = backend.hits(answer, limit);
        return new ToolResult(Truncation.apply(render(query, hits), Truncation.Keep.HEAD, ctx), "Search: " + SearchHit.clean(query, 80),
                Map.of("provider", backend.id, "results", String.valueOf(hits.size())));
    }

    private JsonNode ask(URI endpoint, Optional<String> key, String query, int limit) {
        String where = backend.id + " at " + endpoint.getScheme() + "://" + endpoint.getAuthority();
        try (HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(CONNECT_TIMEOUT).build()) {
            HttpResponse<InputStream> response = http.send(backend.request(endpoint, key, query, limit, timeout), HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
            int status = response.statusCode();
            // the body of an error is not repeated: a backend may echo the request, key included
            if (status == 401 || status == 403) {
                throw new ToolFailure("websearch: " + where + " refused the request (HTTP " + status + ")" + (backend.needsKey
                        ? ": check the key (websearch.apiKey or lathe auth login " + backend.id + ")" : ": is its json format enabled (search.formats)?"));
            }
            if (status == 429) throw new ToolFailure("websearch: " + where + " is rate limiting (HTTP 429); try again later");
            if (status != 200) throw new ToolFailure("websearch: " + where + " answered HTTP " + status);
            if (body.length > MAX_ANSWER_BYTES) throw new ToolFailure("websearch: " + where + " answered more than 2 MB");
            String type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
            if (!type.contains("json")) {
                throw new ToolFailure("websearch: " + where + " answered " + (type.isEmpty() ? "something" : type) + ", not JSON" + (backend == SearchBackend.SEARXNG
                        ? ": enable the json format in its settings.yml (search.formats)" : ": check websearch.url"));
            }
            try {
                JsonNode root = WireJson.mapper().readTree(body);
                if (!root.isObject()) throw new ToolFailure("websearch: " + where + " answered JSON that is not an object");
                return root;
            } catch (JacksonException e) {
                throw new ToolFailure("websearch: " + where + " answered JSON that does not parse");
            }
        } catch (IllegalArgumentException e) {
            // a key or URL with characters no HTTP request may carry: the JDK's message may quote the value, so not repeated
            throw new ToolFailure("websearch: the configured key or URL of " + backend.id + " cannot be sent in an HTTP request");
        } catch (HttpTimeoutException e) {
            throw new ToolFailure("websearch: " + where + " did not answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new ToolFailure("websearch: cannot reach " + where + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("websearch aborted");
        }
    }

    static String render(String query, List<SearchHit> hits) {
        if (hits.isEmpty()) return "No results for \"" + SearchHit.clean(query, MAX_QUERY) + "\".";
        var out = new StringBuilder();
        for (int i = 0; i < hits.size(); i++) {
            SearchHit h = hits.get(i);
            out.append(i + 1).append(". ").append(h.title().isEmpty() ? "(no title)" : h.title()).append('\n');
            out.append("   ").append(h.url()).append('\n');
            if (!h.snippet().isEmpty()) out.append("   ").append(h.snippet()).append('\n');
        }
        return out.toString().stripTrailing();
    }
}
