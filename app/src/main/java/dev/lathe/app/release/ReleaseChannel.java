package dev.lathe.app.release;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The releases at one download base URL (DESIGN §18 "Releases", docs/install.md "Release base URL"): version V's files
 * are at {@code BASE/V/}, and {@code BASE/latest/VERSION} holds the newest version. {@code LATHE_DOWNLOAD_URL}
 * overrides the base, for install.sh and {@code lathe upgrade} alike.
 */
public record ReleaseChannel(URI base) {
    /** The project's GitHub releases: a release tagged {@code V} has its files at {@code BASE/V/}. install.sh has the same. */
    public static final String DEFAULT_BASE = "https://github.com/lathe-agent/lathe/releases/download";
    public static final String BASE_VARIABLE = "LATHE_DOWNLOAD_URL";
    /** A version file is one short line: more is not a version file, and is not read. */
    private static final int MAX_VERSION_BYTES = 256;

    /** The base {@code env} names, else the default. @throws IllegalArgumentException when it is not an http(s) URL */
    public static ReleaseChannel of(Map<String, String> env) {
        String text = env.getOrDefault(BASE_VARIABLE, "");
        text = text.isBlank() ? DEFAULT_BASE : text.strip();
        while (text.endsWith("/")) text = text.substring(0, text.length() - 1);
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(BASE_VARIABLE + " is not a URL: " + text);
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(BASE_VARIABLE + " must be an http(s) URL, not " + text);
        }
        return new ReleaseChannel(uri);
    }

    /** The URL of {@code BASE/latest/VERSION}. */
    public URI latestFile() { return URI.create(base + "/latest/VERSION"); }

    /**
     * The newest release, read from {@code BASE/latest/VERSION}.
     *
     * @throws IOException naming the URL and the cause (no answer, an HTTP error, not a version)
     */
    public ReleaseVersion newest() throws IOException, InterruptedException {
        URI uri = latestFile();
        // redirects are followed (GitHub answers a release file with one), never from https to http
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NORMAL).build()) {
            HttpResponse<InputStream> response;
            try {
                response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15)).header("User-Agent", "lathe").GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new IOException("cannot reach " + uri + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
            }
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) throw new IOException(uri + " answered HTTP " + response.statusCode());
                String text = new String(body.readNBytes(MAX_VERSION_BYTES), StandardCharsets.UTF_8).strip();
                return ReleaseVersion.parse(text.lines().findFirst().orElse("").strip())
                        .orElseThrow(() -> new IOException(uri + " does not hold a version"));
            }
        }
    }
}
