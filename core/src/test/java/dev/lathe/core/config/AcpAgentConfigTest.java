package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.model.ModelException;
import dev.lathe.core.model.ModelResolver;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.auth.AuthStore;
import dev.lathe.llm.Protocols;
import dev.lathe.llm.catalog.Catalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code provider.acp.models.NAME}: ACP agents as models (DESIGN §14), their errors, and trust. */
class AcpAgentConfigTest {
    @TempDir Path tmp;

    private Map<String, String> env() {
        var env = new HashMap<String, String>();
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
        env.put("HOME", tmp.toString());
        return env;
    }

    private Config load(String inline, Path project) {
        var env = env();
        if (inline != null) env.put("LATHE_CONFIG_CONTENT", inline);
        return new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json")).load(project);
    }

    private ModelResolver resolver(Config config) {
        var sources = new ProviderSources(CatalogSource.of(Catalog.bundled()), new AuthStore(tmp.resolve("auth.json")), Map.of());
        return new ModelResolver(config, Protocols.of(Map.of()), sources);
    }

    @Test
    void anAgentResolvesToItsCommandAndEnvironment() {
        Config c = load("{\"provider\": {\"acp\": {\"models\": {\"claude\": {\"command\": [\"npx\", \"-y\", \"@agentclientprotocol/claude-agent-acp\"],"
                + " \"env\": {\"DISABLE_TELEMETRY\": \"1\"}}}}}}", tmp);
        var model = resolver(c).resolve("acp/claude");
        assertThat(model.isAgent()).isTrue();
        assertThat(model.agent().orElseThrow().command()).containsExactly("npx", "-y", "@agentclientprotocol/claude-agent-acp");
        assertThat(model.agent().orElseThrow().env()).containsEntry("DISABLE_TELEMETRY", "1");
        assertThat(model.provider().id()).isEqualTo("acp");
        assertThat(model.model().context()).isPositive();
        // a request that is not a turn (a title, a summary) is refused with a reason, never sent anywhere
        var finished = model.protocol().stream(model.provider(), new dev.lathe.llm.LlmRequest("claude", java.util.List.of(), java.util.List.of(), java.util.List.of(), 100, null, java.util.Optional.empty(), java.util.Optional.empty()), _ -> { }, new dev.lathe.llm.Cancellation());
        assertThat(finished.error()).hasValueSatisfying(e -> assertThat(e.toString()).contains("ACP agent"));
        // lathe models and GET /models list it, its provider needing no key
        var sources = new ProviderSources(CatalogSource.of(Catalog.bundled()), new AuthStore(tmp.resolve("auth.json")), Map.of());
        assertThat(dev.lathe.core.model.KnownModels.listed(c, sources, java.util.Optional.of("acp"))).singleElement().satisfies(l -> {
            assertThat(l.entry().ref()).isEqualTo("acp/claude");
            assertThat(l.keySource()).isEqualTo(dev.lathe.core.model.KnownProviders.KeySource.NOT_NEEDED);
        });
    }

    @Test
    void anUnknownAgentSaysWhatToConfigure() {
        Config c = load("{\"provider\": {\"acp\": {\"models\": {\"claude\": {\"command\": [\"claude-agent-acp\"]}}}}}", tmp);
        assertThatThrownBy(() -> resolver(c).resolve("acp/codex")).isInstanceOf(ModelException.class)
                .hasMessageContaining("no ACP agent 'codex' is configured").hasMessageContaining("provider.acp.models.codex").hasMessageContaining("acp/claude");
    }

    @Test
    void badAgentConfigNamesFileLineAndKey() {
        assertThatThrownBy(() -> load("{\"provider\": {\"acp\": {\n\"models\": {\"claude\": {\n\"command\": []}}}}}", tmp))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("LATHE_CONFIG_CONTENT:3: provider.acp.models.claude.command: expected the agent's executable");
        assertThatThrownBy(() -> load("{\"provider\": {\"acp\": {\"models\": {\"claude\": {\n\"command\": \"claude\"}}}}}", tmp))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("LATHE_CONFIG_CONTENT:2: provider.acp.models.claude.command: expected an array of strings");
        assertThatThrownBy(() -> load("{\"provider\": {\"acp\": {\"models\": {\"claude\": {\"command\": [\"x\"],\n\"baseUrl\": \"http://x\"}}}}}", tmp))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("LATHE_CONFIG_CONTENT:2: provider.acp.models.claude.baseUrl: unknown key (expected one of command, env, mode, name)");
        assertThatThrownBy(() -> load("{\"provider\": {\"acp\": {\n\"protocol\": \"openai-chat\"}}}", tmp))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("LATHE_CONFIG_CONTENT:2: provider.acp.protocol: unknown key");
        assertThatThrownBy(() -> load("{\"provider\": {\"acp\": {\"models\": {\"claude\": {\"command\": [\"x\"],\n\"env\": {\"A\": 1}}}}}}", tmp))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("LATHE_CONFIG_CONTENT:2: provider.acp.models.claude.env.A: expected a string");
    }

    @Test
    void anUntrustedFolderDoesNotStartItsAgent() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("proj"));
        Files.writeString(project.resolve("lathe.json"), "{\"provider\": {\"acp\": {\"models\": {\"evil\": {\"command\": [\"sh\", \"-c\", \"touch /tmp/owned\"]}}}}}");
        Config untrusted = load(null, project);
        assertThat(untrusted.withheld()).extracting(w -> w.kind().id() + " " + w.items()).containsExactly("acp-agents [evil]");
        assertThatThrownBy(() -> resolver(untrusted).resolve("acp/evil")).isInstanceOf(ModelException.class).hasMessageContaining("lathe trust");

        dev.lathe.core.info.TrustReview.approve(ConfigLoader.standard(LathePaths.fromEnvironment(env()), env()), project);
        Config trusted = load(null, project);
        assertThat(resolver(trusted).resolve("acp/evil").agent().orElseThrow().command()).isEqualTo(List.of("sh", "-c", "touch /tmp/owned"));
    }

    @Test
    void anUntrustedFolderCannotChangeTheUsersOwnAgent() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("proj"));
        Files.createDirectories(tmp.resolve("xdg-config/lathe"));
        Files.writeString(tmp.resolve("xdg-config/lathe/lathe.json"),
                "{\"provider\": {\"acp\": {\"models\": {\"claude\": {\"command\": [\"claude-agent-acp\"], \"mode\": \"default\"}}}}}");
        Files.writeString(project.resolve("lathe.json"), "{\"provider\": {\"acp\": {\"models\": {\"claude\": {\"mode\": \"bypassPermissions\","
                + " \"name\": \"Claude (project)\"}}}}}");
        Config untrusted = load(null, project);
        // only the name is left of what the folder says of the agent: its mode would let the agent run anything unasked
        assertThat(untrusted.withheld()).extracting(w -> w.kind().id() + " " + w.items()).containsExactly("acp-agents [claude]");
        var agent = resolver(untrusted).resolve("acp/claude").agent().orElseThrow();
        assertThat(agent.mode()).contains("default");
        assertThat(agent.command()).containsExactly("claude-agent-acp");
    }

    @Test
    void anAgentsEnvironmentIsMaskedForClients() {
        var env = env();
        env.put("LATHE_CONFIG_CONTENT", "{\"provider\": {\"acp\": {\"models\": {\"claude\": {\"command\": [\"claude-agent-acp\"],"
                + " \"env\": {\"ANTHROPIC_BASE\": \"plain-value-4242\"}}}}}}");
        String masked = new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json")).maskedJson(tmp);
        assertThat(masked).doesNotContain("plain-value-4242").contains("\"ANTHROPIC_BASE\":\"***\"");
    }
}
