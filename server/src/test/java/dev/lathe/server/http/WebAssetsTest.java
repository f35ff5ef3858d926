package dev.lathe.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web UI's files (issue 30): served publicly at {@code /} and {@code /vendor/}, never outside those roots. */
class WebAssetsTest {
    private final ServerHarness h = new ServerHarness();

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void theLibrariesAreServedFromTheirWebJarsWithoutALogin() {
        var lit = h.send(h.anonymous("/vendor/lit-html/lit-html.js"));
        assertThat(lit.statusCode()).isEqualTo(200);
        assertThat(lit.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(lit.body()).contains("export");
        for (String path : new String[] {"/vendor/marked/lib/marked.esm.js", "/vendor/dompurify/dist/purify.es.mjs",
                "/vendor/highlightjs/highlight.min.js", "/vendor/highlightjs/styles/github-dark.min.css"}) {
            assertThat(h.send(h.anonymous(path)).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void everyFileCarriesTheSecurityHeadersAndARevalidatingETag() {
        var first = h.send(h.anonymous("/vendor/lit-html/lit-html.js"));
        var headers = first.headers();
        assertThat(headers.firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'self'").contains("style-src 'self';").contains("frame-ancestors 'none'").doesNotContain("unsafe"));
        assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(headers.firstValue("Cache-Control")).hasValue("no-cache");
        String etag = headers.firstValue("ETag").orElseThrow();
        var again = h.send(h.anonymous("/vendor/lit-html/lit-html.js").header("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void largeFilesAreGzippedForBrowsersThatAcceptIt() throws Exception {
        var gz = h.http.send(h.anonymous("/vendor/highlightjs/highlight.min.js").header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        byte[] plain = h.send(h.anonymous("/vendor/highlightjs/highlight.min.js")).body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(gz.body().length).isLessThan(plain.length / 2);
        assertThat(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.body())).readAllBytes()).isEqualTo(plain);
    }

    @Test
    void largeJsonAnswersAreGzippedForBrowsersButNotForClientsThatDoNotAskForIt() throws Exception {
        for (int i = 0; i < 120; i++) h.client.createSession(dev.lathe.protocol.api.CreateSessionRequest.in(ServerHarness.DIR + "/a-long-folder-name-" + i));
        var plain = h.send(h.request("/sessions"));
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.body().length()).isGreaterThan(Call.GZIP_FROM);
        var gz = h.http.send(h.request("/sessions").header("Accept-Encoding", "gzip, deflate").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz.body())).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(plain.body());
    }

    @Test
    void namesOfMissingFilesAreNeverKept() {
        var assets = new WebAssets(Map.of("lit-html", "3.3.2"), Optional.empty());
        try (var server = HttpApiServer.start(new FakeLatheApi(), ServerOptions.of(ServerHarness.TOKEN, "1"), Optional.empty(), assets,
                java.time.Clock.systemUTC())) {
            // any web page can make the browser ask for invented names (img tags): they must not pile up in memory
            for (int i = 0; i < 50; i++) h.send(java.net.http.HttpRequest.newBuilder(server.url().resolve("/js/missing-" + i + ".js")));
            assertThat(assets.cached()).isZero();
            h.send(java.net.http.HttpRequest.newBuilder(server.url().resolve("/vendor/lit-html/lit-html.js")));
            h.send(java.net.http.HttpRequest.newBuilder(server.url().resolve("/vendor/lit-html/lit-html.js")));
            assertThat(assets.cached()).isEqualTo(1);
        }
    }

    @Test
    void nothingOutsideTheUiAndTheNamedLibrariesCanBeReached() {
        var assets = new WebAssets(Map.of("lit-html", "3.3.2"), Optional.empty());
        assertThat(assets.resourceOf("/")).hasValue("web/index.html");
        assertThat(assets.resourceOf("/js/main.js")).hasValue("web/js/main.js");
        assertThat(assets.resourceOf("/vendor/lit-html/directives/repeat.js")).hasValue("META-INF/resources/webjars/lit-html/3.3.2/directives/repeat.js");
        assertThat(assets.resourceOf("/vendor/other/x.js")).as("a library not listed").isEmpty();
        assertThat(assets.resourceOf("/vendor/lit-html/../../../dev/lathe/x.js")).isEmpty();
        assertThat(assets.resourceOf("/%2e%2e/dev/lathe/server/web/vendor.properties")).isEmpty();
        assertThat(assets.resourceOf("/js/..%2f..%2fx.js")).isEmpty();
        assertThat(assets.resourceOf("/js//main.js")).isEmpty();
        assertThat(assets.resourceOf("/js/main.class")).as("only web file types").isEmpty();
        assertThat(assets.resourceOf("/sessions")).as("API paths are left to the routes").isEmpty();
        // over HTTP a path that names no file is an API path: without the token it learns nothing
        assertThat(h.send(h.anonymous("/vendor/lit-html/../../../dev/lathe/server/web/vendor.properties")).statusCode()).isEqualTo(401);
        assertThat(h.send(h.anonymous("/vendor/lit-html/missing.js")).statusCode()).isEqualTo(401);
    }

    @Test
    void thePageComesFromTheFolderNamedForUiWorkReadOnEveryRequest(@TempDir Path web) throws Exception {
        Files.writeString(web.resolve("index.html"), "<!doctype html><title>one</title>");
        try (var server = HttpApiServer.start(new FakeLatheApi(), ServerOptions.of(ServerHarness.TOKEN, "1"), Optional.empty(),
                new WebAssets(Map.of(), Optional.of(web)), java.time.Clock.systemUTC())) {
            var page = h.send(java.net.http.HttpRequest.newBuilder(server.url().resolve("/")));
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("one");
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            Files.writeString(web.resolve("index.html"), "<!doctype html><title>two</title>");
            assertThat(h.send(java.net.http.HttpRequest.newBuilder(server.url().resolve("/"))).body()).contains("two");
            assertThat(h.send(java.net.http.HttpRequest.newBuilder(server.url().resolve("/missing.js"))).statusCode()).isEqualTo(401);
        }
    }
}
