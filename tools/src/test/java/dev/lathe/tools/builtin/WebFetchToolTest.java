package dev.lathe.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.lathe.tools.RecordingPermissions;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolExecutor;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolRegistry;
import dev.lathe.tools.ToolResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code webfetch} against a real HTTP server on loopback. */
class WebFetchToolTest {
    @TempDir Path tmp;
    final RecordingPermissions permissions = RecordingPermissions.allowing();
    final ToolExecutor executor = new ToolExecutor(ToolRegistry.builtins());
    HttpServer server;
    String base;
    /** How long {@code /slow} takes to answer: as long as the longest timeout a fetch may be given. */
    static final java.time.Duration SLOW = java.time.Duration.ofMinutes(2);

    static final String PAGE = """
            <html><head><title>Lathe docs</title><style>body{color:red}</style><script>alert(1)</script></head>
            <body><nav><a href="/home">Home</a></nav>
            <h1>Getting started</h1><p>Run <code>bin/lathe</code> in your <strong>project</strong>. See <a href="/cfg">config</a>.</p>
            <ul><li>one</li><li>two</li></ul><pre>lathe run "hi"
            lathe models</pre></body></html>""";

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/page", ex -> reply(ex, "text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8)));
        server.createContext("/plain", ex -> reply(ex, "text/plain", "just text\n".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/huge", ex -> reply(ex, "text/plain", new byte[WebFetchTool.MAX_BYTES + 10]));
        server.createContext("/chunked", ex -> {
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, 0); // no length: chunked, so only the read cap can stop it
            try (var out = ex.getResponseBody()) {
                byte[] block = new byte[64 * 1024];
                java.util.Arrays.fill(block, (byte) 'z');
                for (int i = 0; i < 100; i++) out.write(block);
            } catch (java.io.IOException closedByTheClient) {
                // the tool stops reading past 5 MB
            }
        });
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(SLOW.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(ex, "text/plain", "late".getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/md", ex -> reply(ex, "text/markdown", "# Title\n\n<b>kept as is</b>\n".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/json", ex -> reply(ex, "application/json", "{\"a\":\"<p>x</p>\"}".getBytes(StandardCharsets.UTF_8)));
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        // one hop on this server, then one off it (TEST-NET-1: routed nowhere, never reached in these tests)
        server.createContext("/moved", ex -> redirect(ex, "/plain"));
        server.createContext("/away", ex -> redirect(ex, "http://192.0.2.1:9/elsewhere"));
        server.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() { server.stop(0); }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, String type, byte[] body) throws java.io.IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    private static void redirect(com.sun.net.httpserver.HttpExchange ex, String location) throws java.io.IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private ToolResult fetch(String json) {
        var ctx = ToolContext.builder(tmp, permissions).session("ses_x").call("call_1").output(tmp.resolve("out")).build();
        return executor.execute("webfetch", json, ctx);
    }

    @Test
    void htmlBecomesMarkdownWithoutScriptsStylesOrNavigation() {
        ToolResult r = fetch("{\"url\":\"" + base + "/page\"}");
        assertThat(r.output()).contains("# Getting started").contains("Run `bin/lathe` in your **project**.")
                .contains("[config](" + base + "/cfg)").contains("- one\n- two").contains("```\nlathe run \"hi\"\nlathe models\n```")
                .doesNotContain("alert").doesNotContain("color:red").doesNotContain("Home");
        assertThat(permissions.checks).singleElement().satisfies(c -> {
            assertThat(c.permission()).isEqualTo("webfetch");
            assertThat(c.patterns()).containsExactly(base + "/page");
        });
        assertThat(fetch("{\"url\":\"" + base + "/page\",\"format\":\"text\"}").output()).startsWith("Lathe docs\n\nGetting started Run bin/lathe").doesNotContain("Home");
        assertThat(fetch("{\"url\":\"" + base + "/page\",\"format\":\"html\"}").output()).contains("<h1>Getting started</h1>");
        assertThat(fetch("{\"url\":\"" + base + "/plain\"}").output()).isEqualTo("just text\n");
    }

    @Test
    void otherSchemesOversizedBodiesAndErrorsAreRefused() {
        assertThatThrownBy(() -> fetch("{\"url\":\"file:///etc/passwd\"}")).isInstanceOf(ToolFailure.class).hasMessageContaining("only http");
        assertThatThrownBy(() -> fetch("{\"url\":\"ftp://127.0.0.1/x\"}")).isInstanceOf(ToolFailure.class).hasMessageContaining("only http");
        assertThatThrownBy(() -> fetch("{\"url\":\"" + base + "/huge\"}")).isInstanceOf(ToolFailure.class).hasMessageContaining("5 MB");
        assertThatThrownBy(() -> fetch("{\"url\":\"" + base + "/missing\"}")).isInstanceOf(ToolFailure.class).hasMessageContaining("HTTP 404");
        assertThat(permissions.checks).extracting(c -> c.patterns().getFirst()).noneMatch(p -> p.startsWith("file:") || p.startsWith("ftp:"));
    }

    @Test
    void textFormatsAreReturnedAsTheyAre() {
        assertThat(fetch("{\"url\":\"" + base + "/md\"}").output()).isEqualTo("# Title\n\n<b>kept as is</b>\n");
        assertThat(fetch("{\"url\":\"" + base + "/json\",\"format\":\"text\"}").output()).isEqualTo("{\"a\":\"<p>x</p>\"}");
    }

    @Test
    void anUndeclaredOversizedBodyAndASlowServerAreFailures() {
        assertThatThrownBy(() -> fetch("{\"url\":\"" + base + "/chunked\"}")).isInstanceOf(ToolFailure.class).hasMessageContaining("5 MB");
        // a fetch that ignored its 1 s timeout would wait for the default one (30 s) or for the server (two minutes):
        // "timed out after 1 s" is far below both on any machine, however busy (a bound of 2.9 s against a server
        // slow by 3 s could be reached by load alone)
        long start = System.nanoTime();
        assertThatThrownBy(() -> fetch("{\"url\":\"" + base + "/slow\",\"timeout\":1}")).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("timed out after 1 s");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(WebFetchTool.DEFAULT_TIMEOUT.dividedBy(2));
    }

    @Test
    void aRejectedPermissionFetchesNothing() {
        var rejecting = RecordingPermissions.rejecting();
        var ctx = ToolContext.builder(tmp, rejecting).session("ses_x").call("call_1").output(tmp.resolve("out")).build();
        assertThatThrownBy(() -> executor.execute("webfetch", "{\"url\":\"" + base + "/page\"}", ctx)).isNotInstanceOf(ToolFailure.class);
    }

    @Test
    void eachRedirectHopIsShownToThePermissionsBeforeItIsFollowedAndARefusalStopsIt() {
        var hops = new java.util.ArrayList<java.net.URI>();
        dev.lathe.tools.Permissions refusingOffLoopback = new dev.lathe.tools.Permissions() {
            @Override public void require(dev.lathe.tools.PermissionCheck check) { }

            @Override
            public void connecting(java.net.URI target) {
                hops.add(target);
                if (!target.getHost().equals("127.0.0.1")) throw new ToolFailure("local-only mode: not loopback: " + target.getHost());
            }
        };
        var ctx = ToolContext.builder(tmp, refusingOffLoopback).session("ses_x").call("call_1").output(tmp.resolve("out")).build();
        assertThat(executor.execute("webfetch", "{\"url\":\"" + base + "/moved\"}", ctx).output()).isEqualTo("just text\n");
        assertThat(hops).containsExactly(java.net.URI.create(base + "/plain"));
        assertThatThrownBy(() -> executor.execute("webfetch", "{\"url\":\"" + base + "/away\"}", ctx)).isInstanceOf(ToolFailure.class)
                .hasMessageContaining("local-only mode: not loopback: 192.0.2.1");
        assertThat(hops).last().isEqualTo(java.net.URI.create("http://192.0.2.1:9/elsewhere"));
    }
}
