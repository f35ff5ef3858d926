package dev.lathe.core.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.network.BlockedConnections;
import dev.lathe.core.network.Purpose;
import dev.lathe.core.sandbox.SandboxState;
import dev.lathe.llm.catalog.Catalog;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe doctor}'s network line: in local-only mode it names what the folder's config would contact and the mode
 * refuses — the catalog, a remote MCP server, an HTTP hook, a configured model's provider, a subscription signed in to —
 * and what the server recorded refusing for this folder, not another's.
 */
class NetworkCheckTest {
    @TempDir Path tmp;

    @Test
    void openModeSaysSoAndNamesTheSwitch() throws Exception {
        Config config = config("{}");
        var check = NetworkCheck.of(config, sources("{}"), new SandboxState.Sandboxed(), project(), tmp.resolve("none.jsonl"));
        assertThat(check.detail()).contains("open").contains("\"network\": \"local\"");
    }

    @Test
    void localModeNamesEveryRemoteThingTheConfigWouldContactAndWhatTheServerRefusedHere() throws Exception {
        String json = """
                {"network": "local", "model": "openai/gpt-4o",
                 "provider": {"openai": {"apiKey": "sk-test"}, "near": {"protocol": "openai-chat", "baseUrl": "http://127.0.0.1:9/v1", "models": {"m": {}}}},
                 "mcp": {"docs": {"type": "remote", "url": "https://mcp.example.com/mcp"}},
                 "hooks": {"Stop": [{"hooks": [{"type": "http", "url": "https://hooks.example.com/stop"}]}]}}""";
        new AuthStore(LathePaths.fromEnvironment(env("{}")).authFile())
                .save("github-copilot", new AuthStore.OAuth("t", "r", System.currentTimeMillis() + 3_600_000, Optional.empty(), Optional.empty()));
        Path file = tmp.resolve("network-blocked.jsonl");
        var server = new BlockedConnections(Optional.of(file), _ -> { });
        server.record(project().toString(), Purpose.tool("webfetch"), URI.create("https://example.org/page"));
        server.record(tmp.resolve("other").toString(), Purpose.tool("webfetch"), URI.create("https://elsewhere.example/"));

        var check = NetworkCheck.of(config(json), sources(json), new SandboxState.Sandboxed(), project(), file);

        assertThat(check.status()).isEqualTo(Checkup.Status.OK);
        assertThat(check.detail())
                .contains("local-only").contains("(near)")
                .contains("catalog refresh → models.dev")
                .contains("mcp docs → mcp.example.com")
                .contains("hooks.example.com")
                .contains("→ api.openai.com")
                .as("a subscription signed in to is a provider the mode refuses").contains("→ api.githubcopilot.com")
                .contains("refused by the server: webfetch → example.org")
                .as("another folder's refusal is not this one's").doesNotContain("elsewhere.example");
    }

    @Test
    void commandsThatRunUnsandboxedAreAWarning() throws Exception {
        String json = "{\"network\": \"local\"}";
        var check = NetworkCheck.of(config(json), sources(json), new SandboxState.Unsandboxed("bwrap missing"), project(), tmp.resolve("none.jsonl"));
        assertThat(check.status()).isEqualTo(Checkup.Status.WARN);
        assertThat(check.detail()).contains("unsandboxed");
    }

    private Path project() throws Exception { return Files.createDirectories(tmp.resolve("p")); }

    private ProviderSources sources(String json) {
        Map<String, String> env = env(json);
        env.put("LATHE_DISABLE_MODELS_FETCH", "0");
        return new ProviderSources(CatalogSource.of(Catalog.bundled()), new AuthStore(LathePaths.fromEnvironment(env).authFile()), env);
    }

    private Config config(String json) throws Exception {
        Map<String, String> env = env(json);
        return new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json")).load(project());
    }

    private Map<String, String> env(String config) {
        return new HashMap<>(Map.of("HOME", tmp.toString(), "XDG_DATA_HOME", tmp.resolve("data").toString(),
                "XDG_CONFIG_HOME", tmp.resolve("config").toString(), "XDG_STATE_HOME", tmp.resolve("state").toString(),
                "XDG_CACHE_HOME", tmp.resolve("cache").toString(), "LATHE_CONFIG_CONTENT", config));
    }
}
