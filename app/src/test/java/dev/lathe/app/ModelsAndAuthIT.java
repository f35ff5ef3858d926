package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code lathe models} and {@code lathe auth} as a user runs them. */
class ModelsAndAuthIT {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String KEY = "sk-auth-marker-4e8a1b";

    @TempDir Path home;

    @Test
    void modelsListsTheCatalogAndConfiguredProvidersAsJson() throws Exception {
        var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", "http://127.0.0.1:9/v1", "k"));

        var all = lathe.run("models", "--format", "json");
        var one = lathe.run("models", "anthropic");
        var unknown = lathe.run("models", "nosuch");

        assertThat(all.exit()).as(all.stderr()).isZero();
        List<JsonNode> rows = JSON.readTree(all.stdout()).valueStream().toList();
        assertThat(rows.size()).isGreaterThan(3_000);
        assertThat(rows).anySatisfy(r -> {
            assertThat(r.path("provider").asString()).isEqualTo("anthropic");
            assertThat(r.path("model").asString()).isEqualTo("claude-sonnet-4-5");
            assertThat(r.path("context").asInt()).isEqualTo(200_000);
            assertThat(r.path("output").asInt()).isPositive();
        });
        assertThat(rows).anySatisfy(r -> assertThat(r.path("provider").asString() + "/" + r.path("model").asString()).isEqualTo("fake/fake-model"));
        assertThat(one.exit()).isZero();
        List<String> lines = one.stdout().lines().toList();
        assertThat(lines.getFirst()).startsWith("MODEL").contains("CONTEXT", "$IN/M", "KEY");
        assertThat(lines.stream().skip(1).filter(l -> !l.startsWith("(") && !l.startsWith("?"))).isNotEmpty()
                .allSatisfy(l -> assertThat(l).startsWith("anthropic/").contains("no key"));
        assertThat(one.stdout()).containsPattern("anthropic/claude-sonnet-4-5 +200000 +\\d+ +3\\.00 +15\\.00  no key");
        assertThat(rows).filteredOn(r -> r.path("model").asString().startsWith("text-embedding")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.path("chat").asBoolean()).isFalse());
        assertThat(one.stdout()).doesNotContain("embedding");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown provider 'nosuch'");
    }

    /** Issue 71: {@code lathe models} lists the user's own providers' models, the whole catalog only with {@code --all}. */
    @Test
    void modelsListsTheUsersOwnProvidersAndTheWholeCatalogOnlyWithAll() throws Exception {
        var lathe = new Lathe(home, Lathe.providerConfig("openai-chat", "http://127.0.0.1:9/v1", "k"));

        var yours = lathe.run("models");
        var all = lathe.run("models", "--all");
        var none = new Lathe(Files.createDirectories(home.resolve("fresh")), "{}").run("models");

        assertThat(yours.exit()).as(yours.stderr()).isZero();
        List<String> lines = yours.stdout().lines().toList();
        assertThat(lines).hasSizeLessThan(6);
        assertThat(lines.getFirst()).startsWith("MODEL");
        assertThat(lines.get(1)).startsWith("fake/fake-model").contains("key: config").contains("(default)");
        assertThat(lines.getLast()).matches("\\([0-9,]+ models of providers you have no key for: lathe models --all, or lathe models PROVIDER\\)");
        assertThat(all.exit()).isZero();
        assertThat(all.stdout().lines().count()).isGreaterThan(1_000);
        assertThat(all.stdout()).contains("fake/fake-model").containsPattern("anthropic/claude-sonnet-4-5 .* no key");
        assertThat(none.exit()).isZero();
        assertThat(none.stdout()).isEmpty();
        assertThat(none.stderr()).matches("lathe: no provider is configured or has a key yet: lathe auth login PROVIDER sets one; "
                + "lathe models --all lists [0-9,]+ models of every provider\\n");
    }

    @Test
    void modelsOfALocalServerAreWhatItHasLoaded() throws Exception {
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/models", exchange -> {
            byte[] body = "{\"object\": \"list\", \"data\": [{\"id\": \"qwen3-coder:30b\"}, {\"id\": \"gemma3:4b\"}]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/empty/v1/models", exchange -> {
            byte[] body = "{\"object\": \"list\", \"data\": []}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int closed;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
            var lathe = new Lathe(home, "{\"provider\": {\"ollama\": {\"baseUrl\": \"" + url + "\"}}}");
            var listed = lathe.run("models", "ollama");
            assertThat(listed.exit()).as(listed.stderr()).isZero();
            assertThat(listed.stdout()).containsPattern("ollama/gemma3:4b +\\? +\\? +\\? +\\?  local, no key needed")
                    .contains("ollama/qwen3-coder:30b");

            // a server with nothing pulled: said, not a header over nothing
            var empty = new Lathe(home, "{\"provider\": {\"ollama\": {\"baseUrl\": \"http://127.0.0.1:" + server.getAddress().getPort()
                    + "/empty/v1\"}}}").run("models", "ollama");
            assertThat(empty.exit()).as(empty.stderr()).isZero();
            assertThat(empty.stdout()).isEmpty();
            assertThat(empty.stderr()).contains("ollama has no models an agent can work with: pull one first");

            var down = new Lathe(home, "{\"provider\": {\"ollama\": {\"baseUrl\": \"http://127.0.0.1:" + closed + "/v1\"}}}").run("models", "ollama");
            assertThat(down.exit()).isEqualTo(1);
            assertThat(down.stderr()).contains("http://127.0.0.1:" + closed + "/v1").contains("is it running?");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void loginStoresTheKeyOwnerOnlyListShowsWhereKeysComeFromAndLogoutRemovesIt() throws Exception {
        var lathe = new Lathe(home, "{}").withEnv("GROQ_API_KEY", "gsk-env-value-123");

        var login = lathe.runWithInput(KEY + "\n", "auth", "login", "openrouter");
        var list = lathe.run("auth", "list");
        Path file = home.resolve("data/lathe/auth.json");

        assertThat(login.exit()).as(login.stderr()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains(KEY);
        assertThat(list.exit()).isZero();
        assertThat(list.stdout()).contains("openrouter\t" + file).contains("groq\t$GROQ_API_KEY");
        assertThat(login.stdout() + login.stderr() + list.stdout() + list.stderr()).doesNotContain(KEY).doesNotContain("gsk-env-value-123");

        var logout = lathe.run("auth", "logout", "openrouter");
        assertThat(logout.exit()).isZero();
        assertThat(Files.readString(file)).doesNotContain(KEY);
        assertThat(lathe.run("auth", "logout", "openrouter").exit()).isEqualTo(2);
        assertThat(lathe.run("auth", "login", "openrouter").exit()).as("no key on stdin").isEqualTo(2);
        var copilot = lathe.run("auth", "login", "github-copilot");
        assertThat(copilot.exit()).as("no key on stdin, no terminal to ask on").isEqualTo(2);
        assertThat(copilot.stderr()).as("a script is told the flag for the subscription").contains("lathe auth login github-copilot --method github");
    }

    @Test
    void aMistypedCommandGetsDidYouMeanAndAnEmptyKeyListSaysSo() throws Exception {
        var lathe = new Lathe(home, "{}");

        var typo = lathe.run("sesions");
        var keys = lathe.run("auth", "list");

        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.stderr()).startsWith("lathe: unknown command 'sesions'; did you mean 'lathe sessions'?");
        assertThat(keys.exit()).isZero();
        assertThat(keys.stdout()).isEmpty();
        assertThat(keys.stderr()).contains("no provider keys").contains("lathe auth login PROVIDER");
    }
}
