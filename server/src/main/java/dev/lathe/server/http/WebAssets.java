package dev.lathe.server.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * The web UI's files (issue 30): the page and its modules from {@code web/} on the classpath (bundled in the jar at
 * build time, so a user needs no Node.js), and its libraries at {@code /vendor/NAME/PATH} from their WebJars. They
 * hold no data, so they are public like {@code /health}; everything they fetch goes through the API's checks.
 *
 * <p>Every response forbids framing and inline scripts (CSP), sniffing and referrers; files are revalidated with an
 * ETag (a rebuilt jar is seen at the next load) and gzipped when the browser accepts it. {@code LATHE_WEB_DIR} (for
 * working on the UI) serves {@code web/} from that folder instead, re-read on every request. One file is made, not
 * read: {@code /js/api-routes.js}, the route table as constants ({@link RouteModule}).
 */
final class WebAssets {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final String WEB_ROOT = "web";
    private static final String VENDOR_ROOT = "META-INF/resources/webjars/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "css", "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8", "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon",
            "json", "application/json; charset=utf-8", "woff2", "font/woff2", "webmanifest", "application/manifest+json");

    /** A file ready to send: its bytes, gzipped bytes when that is smaller, and its ETag. */
    private record Asset(byte[] bytes, Optional<byte[]> gzipped, String type, String etag) {}

    private final Map<String, String> vendorVersions;
    private final Optional<Path> devFolder;
    private final ClassLoader loader = WebAssets.class.getClassLoader();
    private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();
    private final Asset routeModule;

    WebAssets(Map<String, String> vendorVersions, Optional<Path> devFolder) {
        this.vendorVersions = Map.copyOf(vendorVersions);
        this.devFolder = devFolder;
        try {
            this.routeModule = asset(RouteModule.text().getBytes(java.nio.charset.StandardCharsets.UTF_8), typeOf(RouteModule.PATH).orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bundled UI and the libraries of {@code vendor.properties}; {@code LATHE_WEB_DIR} when set (UI work). */
    static WebAssets bundled() {
        var props = new Properties();
        try (InputStream in = WebAssets.class.getResourceAsStream("/dev/lathe/server/web/vendor.properties")) {
            if (in != null) props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var versions = new java.util.HashMap<String, String>();
        props.forEach((k, v) -> versions.put(k.toString(), v.toString()));
        Optional<Path> dev = Optional.ofNullable(System.getenv("LATHE_WEB_DIR")).filter(s -> !s.isBlank()).map(Path::of);
        return new WebAssets(versions, dev);
    }

    /**
     * Answers {@code GET}/{@code HEAD} of a UI file; false (nothing sent) when {@code rawPath} names none, so the
     * request goes on to the API routes.
     */
    boolean serve(HttpExchange exchange, String rawPath) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) return false;
        Optional<String> resource = resourceOf(rawPath);
        if (resource.isEmpty()) return false;
        Optional<Asset> asset = load(resource.get());
        if (asset.isEmpty()) return false;
        send(exchange, asset.get(), method.equals("HEAD"));
        return true;
    }

    /** The classpath name of the file {@code rawPath} names, if it can name one (no dot segments, a known type). */
    Optional<String> resourceOf(String rawPath) {
        String path = Percent.decode(rawPath);
        if (path.equals("/")) path = "/index.html";
        if (!path.startsWith("/") || path.contains("\\") || path.indexOf('\0') >= 0 || path.contains("//")) return Optional.empty();
        String[] segments = path.substring(1).split("/", -1);
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..")) return Optional.empty();
        }
        if (typeOf(path).isEmpty()) return Optional.empty();
        if (segments[0].equals("vendor")) {
            if (segments.length < 3) return Optional.empty();
            String version = vendorVersions.get(segments[1]);
            if (version == null) return Optional.empty();
            return Optional.of(VENDOR_ROOT + segments[1] + "/" + version + path.substring(("/vendor/" + segments[1]).length()));
        }
        return Optional.of(WEB_ROOT + path);
    }

    private Optional<Asset> load(String resource) {
        if (resource.equals(WEB_ROOT + RouteModule.PATH)) return Optional.of(routeModule);
        if (devFolder.isPresent() && resource.startsWith(WEB_ROOT + "/")) return read(resource);
        Optional<Asset> cached = cache.get(resource);
        if (cached != null) return cached;
        // only files that exist are kept: their set is bounded by the jar, while missing names are anyone's to invent
        Optional<Asset> asset = read(resource);
        asset.ifPresent(a -> cache.put(resource, Optional.of(a)));
        return asset;
    }

    /** Files held in memory (tests: misses never are). */
    int cached() { return cache.size(); }

    private Optional<Asset> read(String resource) {
        try {
            byte[] bytes;
            if (devFolder.isPresent() && resource.startsWith(WEB_ROOT + "/")) {
                Path file = devFolder.get().resolve(resource.substring(WEB_ROOT.length() + 1));
                if (!Files.isRegularFile(file)) return Optional.empty();
                bytes = Files.readAllBytes(file);
            } else {
                try (InputStream in = loader.getResourceAsStream(resource)) {
                    if (in == null) return Optional.empty();
                    bytes = in.readAllBytes();
                }
            }
            return Optional.of(asset(bytes, typeOf(resource).orElseThrow()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Asset asset(byte[] bytes, String type) throws IOException {
        return new Asset(bytes, gzip(bytes, type), type, etag(bytes));
    }

    private static void send(HttpExchange exchange, Asset asset, boolean headOnly) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", asset.type());
        headers.set("ETag", asset.etag());
        headers.set("Cache-Control", "no-cache");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Frame-Options", "DENY");
        headers.set("Vary", "Accept-Encoding");
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        if (asset.etag().equals(ifNoneMatch)) {
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        String accepts = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Accept-Encoding")).orElse("");
        byte[] body = asset.bytes();
        if (asset.gzipped().isPresent() && accepts.contains("gzip")) {
            body = asset.gzipped().get();
            headers.set("Content-Encoding", "gzip");
        }
        if (headOnly) {
            headers.set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Optional<String> typeOf(String path) {
        int dot = path.lastIndexOf('.');
        int slash = path.lastIndexOf('/');
        if (dot < 0 || dot < slash) return Optional.empty();
        return Optional.ofNullable(TYPES.get(path.substring(dot + 1)));
    }

    private static Optional<byte[]> gzip(byte[] bytes, String type) throws IOException {
        if (bytes.length < 1024 || type.startsWith("image/png") || type.startsWith("font/")) return Optional.empty();
        var out = new ByteArrayOutputStream(bytes.length / 3);
        try (var z = new GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return out.size() < bytes.length ? Optional.of(out.toByteArray()) : Optional.empty();
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(hash, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
