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
}
