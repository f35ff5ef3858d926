package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code network} key and {@code LATHE_NETWORK} (decision 120). */
class NetworkConfigTest {
    @TempDir Path tmp;

    private Config load(Map<String, String> env, Path project) {
        var full = new HashMap<>(env);
        full.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        full.put("HOME", tmp.toString());
        return new ConfigLoader(LathePaths.fromEnvironment(full), full, tmp.resolve("managed.json")).load(project);
    }

    @Test
    void openByDefaultAndLocalWhenALayerSaysSo() {
        assertThat(load(Map.of(), tmp).network()).isEqualTo(Config.NetworkMode.OPEN);
        assertThat(load(Map.of("LATHE_CONFIG_CONTENT", "{\"network\": \"local\"}"), tmp).network()).isEqualTo(Config.NetworkMode.LOCAL);
    }

    @Test
    void aBadValueNamesTheFileLineKeyAndChoices() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("lathe.json"), "{\n  \"network\": \"offline\"\n}\n");
        assertThatThrownBy(() -> load(Map.of(), project)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(project.resolve("lathe.json") + ":2: network: expected \"open\" (the default) or \"local\"");
        assertThatThrownBy(() -> load(Map.of("LATHE_NETWORK", "airgap"), tmp)).isInstanceOf(ConfigException.class)
                .hasMessage("LATHE_NETWORK: expected \"local\" or \"open\", not \"airgap\"");
    }

    @Test
    void aLaterLayerCannotOpenWhatAnEarlierOneMadeLocal() throws IOException {
        Path global = Files.createDirectories(tmp.resolve("xdg-config/lathe")).resolve("lathe.json");
        Files.writeString(global, "{\"network\": \"local\"}");
        Path project = Files.createDirectories(tmp.resolve("cloned"));
        Files.writeString(project.resolve("lathe.json"), "{\"network\": \"open\"}");
        assertThat(load(Map.of(), project).network()).isEqualTo(Config.NetworkMode.LOCAL);
        assertThat(load(Map.of("LATHE_CONFIG_CONTENT", "{\"network\": \"open\"}"), project).network()).isEqualTo(Config.NetworkMode.LOCAL);
    }

    @Test
    void theVariableMakesItLocalOverAnOpenConfigAndIsNamedAmongTheSources() {
        Config c = load(Map.of("LATHE_NETWORK", "local", "LATHE_CONFIG_CONTENT", "{\"network\": \"open\"}"), tmp);
        assertThat(c.network()).isEqualTo(Config.NetworkMode.LOCAL);
        assertThat(c.sources()).contains("LATHE_NETWORK");
        assertThat(load(Map.of("LATHE_NETWORK", "open"), tmp).network()).isEqualTo(Config.NetworkMode.OPEN);
    }

    @Test
    void sandboxedCommandsGetNoNetworkInLocalMode() {
        String open = "{\"sandbox\": {\"mode\": \"on\", \"network\": \"on\", \"writable\": [\"/w\"]}}";
        assertThat(load(Map.of("LATHE_CONFIG_CONTENT", open), tmp).sandbox().network()).isInstanceOf(SandboxConfig.Network.On.class);
        SandboxConfig local = load(Map.of("LATHE_CONFIG_CONTENT", open, "LATHE_NETWORK", "local"), tmp).sandbox();
        assertThat(local.network()).isInstanceOf(SandboxConfig.Network.Off.class);
        assertThat(local.mode()).isEqualTo(SandboxConfig.Mode.ON);
        assertThat(local.writable()).containsExactly("/w");
    }
    @Test
    void aSubscriptionsSignInServersCountOnlyWhenTheConfigWritesThemAndItsBackendOnlyWithABaseUrl() {
        String json = "{\"network\": \"local\", \"provider\": {\"github-copilot\": {\"oauth\": {\"issuer\": \"https://ghe.example/\","
                + " \"api\": \"http://api.ghe.example:8080\"}}, \"openai\": {\"oauth\": {\"redirectPort\": 0}}}}";
        var policy = dev.lathe.core.network.NetworkPolicy.of(load(Map.of("LATHE_CONFIG_CONTENT", json), tmp));
        var copilot = dev.lathe.core.network.Purpose.signIn("github-copilot");
        assertThat(policy.allows(copilot, java.net.URI.create("https://ghe.example/login/device/code"))).isTrue();
        assertThat(policy.allows(copilot, java.net.URI.create("http://api.ghe.example:8080/copilot_internal/v2/token"))).isTrue();
        assertThat(policy.allows(copilot, java.net.URI.create("http://ghe.example/login/device/code"))).as("another port").isFalse();
        assertThat(policy.allows(copilot, java.net.URI.create("https://api.github.com/copilot_internal/v2/token"))).as("the default, not written").isFalse();
        assertThat(policy.allows(dev.lathe.core.network.Purpose.signIn("openai"), java.net.URI.create("https://ghe.example/oauth/token")))
                .as("another provider's server").isFalse();
        assertThat(policy.allows(dev.lathe.core.network.Purpose.signIn("openai"), java.net.URI.create("https://auth.openai.com/oauth/token"))).isFalse();
        assertThat(policy.allows(dev.lathe.core.network.Purpose.signIn("openai"), java.net.URI.create("http://127.0.0.1:1455/oauth/token"))).isTrue();
        // writing oauth does not name the backend: the plan's own (api.githubcopilot.com) still needs a baseUrl
        assertThat(policy.allows(dev.lathe.core.network.Purpose.provider("github-copilot"), java.net.URI.create("https://api.githubcopilot.com")))
                .isFalse();
        assertThat(policy.allows(dev.lathe.core.network.Purpose.mcp("x"), java.net.URI.create("https://ghe.example/mcp"))).isFalse();
    }
}
