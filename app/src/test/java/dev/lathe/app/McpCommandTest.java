package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code lathe mcp add|list|remove} on real config files in fresh XDG folders. */
class McpCommandTest {
    @TempDir Path home;

    private Map<String, String> env() {
        return Map.of("XDG_CONFIG_HOME", home.resolve("config").toString(), "XDG_DATA_HOME", home.resolve("data").toString(),
                "XDG_STATE_HOME", home.resolve("state").toString(), "XDG_CACHE_HOME", home.resolve("cache").toString(),
                "HOME", home.toString());
    }

    private record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int exit = new CommandLine(new McpCommand(env())).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void addListRemoveAcrossScopesAndTrust() throws Exception {
        Path project = Files.createDirectories(home.resolve("proj"));
        String dir = project.toString();
        Run added = run("add", "--dir", dir, "-s", "global", "-e", "A=1", "everything", "--", "mcp-server-everything", "stdio");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(Files.readString(home.resolve("config/lathe/lathe.json"))).contains("mcp-server-everything", "\"A\"");
        Run web = run("add", "--dir", dir, "web", "--url", "https://mcp.example.com/mcp", "-H", "Authorization: Bearer t");
        assertThat(web.exit()).as(web.err()).isZero();
        assertThat(web.err()).contains("not trusted");
        assertThat(project.resolve(".lathe/lathe.json")).content().contains("\"Authorization\": \"Bearer t\"");

        Run listed = run("list", "--dir", dir);
        assertThat(listed.exit()).isZero();
        assertThat(listed.out()).isEqualTo("everything\tlocal\tnot running\tmcp-server-everything stdio\t\n"
                + "web\t-\tuntrusted (run lathe trust)\thttps://mcp.example.com/mcp (.lathe/lathe.json)\t\n");

        assertThat(new CommandLine(new TrustCommand(env())).execute("--dir", dir)).isZero();
        assertThat(run("list", "--dir", dir).out()).contains("web\tremote\tnot running\thttps://mcp.example.com/mcp\t\n");

        Run bad = run("add", "--dir", dir, "-s", "global", "bad", "--url", "ftp://x");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("mcp.bad.url");
        assertThat(run("add", "--dir", dir, "neither").exit()).isEqualTo(2);

        assertThat(run("remove", "--dir", dir, "web").exit()).isZero();
        assertThat(run("remove", "--dir", dir, "-s", "global", "everything").exit()).isZero();
        Run gone = run("remove", "--dir", dir, "everything");
        assertThat(gone.exit()).isEqualTo(2);
        assertThat(run("list", "--dir", dir).out()).isEmpty();
    }

    @Test
    void authNamesWhatCannotSignInAndExitsNonZero() throws Exception {
        Path project = Files.createDirectories(home.resolve("proj"));
        String dir = project.toString();
        Run unknown = run("auth", "--dir", dir, "nowhere");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no MCP server called 'nowhere'");
        assertThat(unknown.out()).isEmpty();

        assertThat(run("add", "--dir", dir, "-s", "global", "files", "--", "mcp-server-filesystem", "/tmp").exit()).isZero();
        assertThat(run("auth", "--dir", dir, "files").err()).contains("'files' is a local server");

        // a remote server that publishes no OAuth metadata: the sign-in fails with the reason, nothing is stored
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/mcp";
            assertThat(run("add", "--dir", dir, "-s", "global", "bare", "--url", url).exit()).isZero();
            Run failed = run("auth", "--dir", dir, "bare");
            assertThat(failed.exit()).as(failed.out()).isEqualTo(2);
            assertThat(failed.err()).startsWith("lathe: could not sign in to bare: ");
            assertThat(home.resolve("data/lathe/mcp-auth/bare.json")).doesNotExist();

            Run out = run("auth", "--dir", dir, "--logout", "bare");
            assertThat(out.exit()).as(out.err()).isZero();
            assertThat(out.out()).isEqualTo("signed out of bare\n");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void listShowsTheRunningServersStatesAndLastErrorsWithoutTheirCredentials() throws Exception {
        Path project = Files.createDirectories(home.resolve("proj"));
        String dir = project.toString();
        Map<String, String> env = new java.util.HashMap<>(env());
        env.put("DOCS_TOKEN", "tok-abcdef-123456");
        Files.writeString(project.resolve(".mcp.json"), """
                { "mcpServers": {
                    "everything": { "command": "%s", "args": ["stdio"] },
                    "broken": { "command": "false" },
                    "docs": { "type": "http", "url": "http://127.0.0.1:9/mcp?key=${DOCS_TOKEN}",
                              "headers": {"Authorization": "Bearer ${DOCS_TOKEN}"} } } }
                """.formatted(dev.lathe.testkit.NpmServers.bin("mcp-server-everything")));
        java.util.function.Function<McpCommand, Run> list = command -> {
            var out = new StringWriter();
            var err = new StringWriter();
            int exit = new CommandLine(command).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("list", "--dir", dir);
            return new Run(exit, out.toString(), err.toString());
        };
        // untrusted: the .mcp.json servers are named, none runs
        Run untrusted = list.apply(new McpCommand(env, d -> { throw new AssertionError("no server is asked about an untrusted folder's servers"); }));
        // what trust would allow is shown (issue 42): each command, but no URL that carries a credential
        assertThat(untrusted.out()).isEqualTo("everything\t-\tuntrusted (run lathe trust)\t" + dev.lathe.testkit.NpmServers.bin("mcp-server-everything")
                + " stdio (.mcp.json)\t\n" + "broken\t-\tuntrusted (run lathe trust)\tfalse (.mcp.json)\t\n"
                + "docs\t-\tuntrusted (run lathe trust)\t.mcp.json\t\n");
        assertThat(new CommandLine(new TrustCommand(env)).execute("--dir", dir)).isZero();

        Run offline = list.apply(new McpCommand(env, d -> java.util.Optional.empty()));
        assertThat(offline.out()).startsWith("everything\tlocal\tnot running\t").contains("broken\tlocal\tnot running\tfalse\t\n")
                .contains("docs\tremote\tnot running\thttp://127.0.0.1:9/mcp?…\t\n").doesNotContain("tok-abcdef-123456");

        // a core in this process stands for the daemon: real servers, real statuses
        try (var core = dev.lathe.server.LatheServer.embedded(env)) {
            var command = new McpCommand(env, d -> java.util.Optional.of(unclosed(core)));
            Run live = list.apply(command);
            long deadline = System.currentTimeMillis() + 60_000;
            // (a refused connection to a remote server is reported only after its connect timeout: docs may be starting still)
            while (!(live.out().contains("everything\tlocal\tconnected") && live.out().contains("broken\tlocal\tfailed"))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
                live = list.apply(command);
            }
            assertThat(live.exit()).isZero();
            String[] lines = live.out().split("\n");
            assertThat(lines).hasSize(3);
            for (String line : lines) assertThat(line.split("\t", -1)).hasSize(5);
            assertThat(lines[0]).startsWith("everything\tlocal\tconnected\t").endsWith("\t");
            assertThat(lines[1]).isEqualTo("broken\tlocal\tfailed\tfalse\texited before it answered initialize");
            assertThat(lines[2]).startsWith("docs\tremote\t").contains("\thttp://127.0.0.1:9/mcp?…\t");
            assertThat(live.out()).doesNotContain("tok-abcdef-123456");
        }
    }

    /** The in-process core, left open when the command closes its client (the test closes it). */
    private static dev.lathe.protocol.api.LatheApi unclosed(dev.lathe.protocol.api.LatheApi core) {
        return (dev.lathe.protocol.api.LatheApi) java.lang.reflect.Proxy.newProxyInstance(McpCommandTest.class.getClassLoader(),
                new Class<?>[] {dev.lathe.protocol.api.LatheApi.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) return null;
                    try {
                        return method.invoke(core, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void afterASignInARunningDaemonRestartsTheServerThatWaitedForIt() throws Exception {
        Path project = Files.createDirectories(home.resolve("proj"));
        String dir = project.toRealPath().toString();
        var env = new java.util.HashMap<>(env());
        env.put("LATHE_DISABLE_MODELS_FETCH", "1");
        assertThat(McpCommand.restartInDaemon(env, project, "remote")).as("no daemon: nothing to do").isEmpty();
        try (var auth = new dev.lathe.testkit.LoopbackAuthServer()) {
            assertThat(run("add", "--dir", dir, "-s", "global", "remote", "--url", auth.resource.toString()).exit()).isZero();
            var options = new dev.lathe.server.LatheServer.ServeOptions("127.0.0.1", java.util.Optional.empty(),
                    dev.lathe.server.LatheServer.Mode.FOREGROUND, dev.lathe.server.LatheServer.Exposure.LOOPBACK_ONLY, java.util.Optional.empty());
            try (var daemon = dev.lathe.server.LatheServer.serve(env, options)) {
                var endpoint = dev.lathe.client.ServerDiscovery.find(home.resolve("state/lathe/server.json")).orElseThrow();
                try (var client = dev.lathe.client.HttpLatheClient.connect(endpoint, java.util.Optional.of(dir))) {
                    awaitStatus(client, dir, "needs_auth");
                    // what `lathe mcp auth` does before: the sign-in, through a browser that follows the redirect
                    var browser = java.net.http.HttpClient.newBuilder().followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
                    dev.lathe.core.offline.McpSignIn.signIn(env, project, "remote", url -> {
                        try {
                            var page = browser.send(java.net.http.HttpRequest.newBuilder(url).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
                            browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(page.headers().firstValue("Location").orElseThrow())).build(),
                                    java.net.http.HttpResponse.BodyHandlers.discarding());
                        } catch (java.io.IOException | InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    assertThat(client.mcp(dir).getFirst().status()).as("the daemon does not retry needs_auth by itself").isEqualTo("needs_auth");

                    assertThat(McpCommand.restartInDaemon(env, project, "remote")).isEmpty();
                    // restarted with the token: past needs_auth (the loopback resource is no MCP server, so it then fails)
                    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
                    while (client.mcp(dir).getFirst().status().equals("needs_auth") && System.nanoTime() < deadline) Thread.sleep(50);
                    assertThat(client.mcp(dir).getFirst().status()).isNotEqualTo("needs_auth");

                    assertThat(McpCommand.restartInDaemon(env, project, "nope")).hasValueSatisfying(note ->
                            assertThat(note).startsWith("lathe: note: the running server did not restart nope").contains("no MCP server called 'nope'"));
                }
            }
        }
    }

    private static void awaitStatus(dev.lathe.client.HttpLatheClient client, String dir, String status) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (!client.mcp(dir).getFirst().status().equals(status) && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(client.mcp(dir).getFirst().status()).isEqualTo(status);
    }
}
