package dev.lathe.tools.builtin;

import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionCheck;
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
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code webfetch}: one http(s) URL, as Markdown (HTML converted), plain text or raw HTML, at most 5 MB. */
final class WebFetchTool implements Tool<WebFetchTool.Args> {
    record Args(String url, Optional<String> format, Optional<Integer> timeout) {}

    static final int MAX_BYTES = 5 * 1024 * 1024;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final String DESCRIPTION = Builtins.description("webfetch");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "url":{"type":"string","description":"http(s)"},\
            "format":{"type":"string","enum":["markdown","text","html"]},\
            "timeout":{"type":"integer","description":"Seconds (default 30, max 120)"}},\
            "required":["url"],"additionalProperties":false}""";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    @Override public String name() { return "webfetch"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.REACHES_NETWORK); }

    @Override public PermissionSource permission() { return PermissionSource.checkedByTool(PermissionSource.Pattern.URL, "url"); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        URI uri;
        try {
            uri = URI.create(args.url().strip());
        } catch (IllegalArgumentException e) {
            throw new ToolFailure("not a URL: " + args.url());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new ToolFailure("only http:// and https:// URLs can be fetched, not " + args.url());
        }
        String format = args.format().orElse("markdown");
        if (!format.equals("markdown") && !format.equals("text") && !format.equals("html")) {
            throw new ToolFailure("format must be markdown, text or html");
        }
        ctx.guards().permissions().require(PermissionCheck.of("webfetch", PermissionSource.Pattern.URL, uri.toString(), "Fetch " + uri));
        Duration timeout = args.timeout().map(s -> Duration.ofSeconds(Math.max(1, Math.min(120, s)))).orElse(DEFAULT_TIMEOUT);
        HttpResponse<InputStream> response;
        byte[] body;
        // a client per fetch, closed after it: a client kept for the process would build its TLS context on every start
        // (class initialisation) and leave a selector thread in native code that delays the JVM's exit by 300 ms
        try (HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(CONNECT_TIMEOUT).build()) {
            response = followed(http, uri, timeout, ctx);
            try (InputStream in = response.body()) {
                // a declared length fails at once; an undeclared (chunked) one is read to one byte past the cap and no further
                if (response.headers().firstValueAsLong("content-length").orElse(-1) > MAX_BYTES) throw tooLarge();
                body = in.readNBytes(MAX_BYTES + 1);
            }
        } catch (java.net.http.HttpTimeoutException e) {
            throw new ToolFailure("timed out after " + timeout.toSeconds() + " s fetching " + uri);
        } catch (IOException e) {
            throw new ToolFailure("cannot fetch " + uri + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("fetch aborted");
        }
        if (body.length > MAX_BYTES) throw tooLarge();
        if (response.statusCode() >= 400) throw new ToolFailure("HTTP " + response.statusCode() + " from " + uri);
        String contentType = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (!isText(contentType)) throw new ToolFailure("not a text response (" + contentType + "): " + uri);
        String text = new String(body, charset(contentType));
        boolean html = contentType.contains("html") || (contentType.isEmpty() && text.stripLeading().startsWith("<"));
        String output = !html || format.equals("html") ? text
                : format.equals("text") ? HtmlToMarkdown.text(text) : HtmlToMarkdown.convert(text, uri.toString());
        return new ToolResult(Truncation.apply(output, Truncation.Keep.HEAD, ctx), uri.toString(),
                Map.of("url", uri.toString(), "contentType", contentType, "bytes", String.valueOf(body.length)))
                .withDisplay(new ToolDisplay.WebPage(uri.toString(), contentType));
    }

    /** Redirects followed as the JDK's {@code Redirect.NORMAL} does (never https to http), this many at most. */
    static final int MAX_REDIRECTS = 5;

    /**
     * The response to a GET of {@code uri} after its redirects, each hop shown to the permissions port first
     * ({@link dev.lathe.tools.Permissions#connecting}): local-only mode refuses a hop off loopback before it is made.
     */
    private static HttpResponse<InputStream> followed(HttpClient http, URI uri, Duration timeout, ToolContext ctx)
            throws IOException, InterruptedException {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            var request = HttpRequest.newBuilder(current).timeout(timeout).header("User-Agent", "lathe-webfetch")
                    .header("Accept", "text/html,text/markdown,text/plain,application/json;q=0.9,*/*;q=0.5").GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            Optional<URI> next = redirect(current, response);
            if (next.isEmpty() || hop == MAX_REDIRECTS) return response;
            response.body().close();
            ctx.guards().permissions().connecting(next.get());
            current = next.get();
        }
    }

    private static Optional<URI> redirect(URI from, HttpResponse<?> response) {
        int status = response.statusCode();
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) return Optional.empty();
        Optional<String> location = response.headers().firstValue("location");
        if (location.isEmpty()) return Optional.empty();
        try {
            URI next = from.resolve(location.get().strip());
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            boolean downgrade = from.getScheme().equalsIgnoreCase("https") && scheme.equals("http");
            return (scheme.equals("http") || scheme.equals("https")) && !downgrade ? Optional.of(next) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ToolFailure tooLarge() {
        return new ToolFailure("the response is larger than 5 MB (the webfetch limit); fetch a more specific URL");
    }

    private static boolean isText(String contentType) {
        return contentType.isEmpty() || contentType.startsWith("text/") || contentType.contains("json") || contentType.contains("xml")
                || contentType.contains("javascript");
    }

    private static Charset charset(String contentType) {
        int i = contentType.indexOf("charset=");
        if (i < 0) return StandardCharsets.UTF_8;
        try {
            return Charset.forName(contentType.substring(i + 8).replace("\"", "").split(";")[0].strip());
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
