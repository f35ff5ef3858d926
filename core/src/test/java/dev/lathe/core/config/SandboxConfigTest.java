package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sandbox} key: its string and object forms bound, its default, and bad values as located config errors. */
class SandboxConfigTest {
    @TempDir Path tmp;

    private Config load(String inline) {
        var env = new HashMap<String, String>();
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        env.put("HOME", tmp.toString());
        if (inline != null) env.put("LATHE_CONFIG_CONTENT", inline);
        return new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json")).load(tmp);
    }

    @Test
    void absentIsAutoWithoutNetwork() {
        assertThat(load(null).sandbox()).isEqualTo(SandboxConfig.DEFAULT);
        assertThat(SandboxConfig.DEFAULT.mode()).isEqualTo(SandboxConfig.Mode.AUTO);
    }

    @Test
    void theStringAndObjectFormsBind() {
        assertThat(load("{\"sandbox\": \"off\"}").sandbox().mode()).isEqualTo(SandboxConfig.Mode.OFF);
        assertThat(load("{\"sandbox\": \"on\"}").sandbox()).isEqualTo(new SandboxConfig(SandboxConfig.Mode.ON, new SandboxConfig.Network.Off(), List.of()));
        assertThat(load("{\"sandbox\": {\"network\": \"on\", \"writable\": [\"~/.m2\", \"build\"]}}").sandbox())
                .isEqualTo(new SandboxConfig(SandboxConfig.Mode.AUTO, new SandboxConfig.Network.On(), List.of("~/.m2", "build")));
        assertThat(load("{\"sandbox\": {\"mode\": \"on\", \"network\": [\"registry.npmjs.org\"]}}").sandbox())
                .isEqualTo(new SandboxConfig(SandboxConfig.Mode.ON, new SandboxConfig.Network.Hosts(List.of("registry.npmjs.org")), List.of()));
    }

    @Test
    void theProcessLimitHasASafeDefaultAndCanBeRaised() {
        assertThat(load(null).sandbox().maxProcesses()).isEqualTo(512);
        assertThat(load("{\"sandbox\": \"off\"}").sandbox().maxProcesses()).isEqualTo(512);
        assertThat(load("{\"sandbox\": {\"maxProcesses\": 2048}}").sandbox())
                .isEqualTo(new SandboxConfig(SandboxConfig.Mode.AUTO, new SandboxConfig.Network.Off(), List.of(), 2048));
    }

    @Test
    void badValuesNameFileLineAndKey() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("lathe.json"), "{\n  \"model\": \"a/b\",\n  \"sandbox\": {\n    \"network\": \"sometimes\"\n  }\n}\n");
        var env = Map.of("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString(), "HOME", tmp.toString());
        assertThatThrownBy(() -> new ConfigLoader(LathePaths.fromEnvironment(env), env, tmp.resolve("managed.json")).load(project))
                .isInstanceOf(ConfigException.class)
                .hasMessage(project.resolve("lathe.json") + ":4: sandbox.network: expected \"off\", \"on\" or an array of host names");
        assertThatThrownBy(() -> load("{\"sandbox\": \"maybe\"}")).isInstanceOf(ConfigException.class)
                .hasMessage("LATHE_CONFIG_CONTENT:1: sandbox: expected one of auto, off, on, got \"maybe\"");
        assertThatThrownBy(() -> load("{\"sandbox\": {\"mode\": \"yes\"}}")).isInstanceOf(ConfigException.class)
                .hasMessage("LATHE_CONFIG_CONTENT:1: sandbox.mode: expected one of auto, off, on, got \"yes\"");
        assertThatThrownBy(() -> load("{\"sandbox\": {\"writable\": \"/x\"}}")).isInstanceOf(ConfigException.class)
                .hasMessage("LATHE_CONFIG_CONTENT:1: sandbox.writable: expected an array of strings");
        assertThatThrownBy(() -> load("{\"sandbox\": {\"proxy\": 1}}")).isInstanceOf(ConfigException.class)
                .hasMessage("LATHE_CONFIG_CONTENT:1: sandbox.proxy: unknown key (expected one of mode, network, writable, maxProcesses)");
        assertThatThrownBy(() -> load("{\"sandbox\": {\"maxProcesses\": 0}}")).isInstanceOf(ConfigException.class)
                .hasMessage("LATHE_CONFIG_CONTENT:1: sandbox.maxProcesses: expected a whole number from 8 to 100000");
        assertThatThrownBy(() -> load("{\"sandbox\": {\"maxProcesses\": \"many\"}}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sandbox.maxProcesses: expected a whole number");
        assertThatThrownBy(() -> load("{\"sandbox\": true}")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("sandbox: expected \"auto\", \"on\", \"off\" or an object");
    }
}
