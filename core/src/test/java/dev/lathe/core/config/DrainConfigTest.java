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

/** The {@code drain} key: {@code {"seconds": N}}, how long a draining team node's turns may go on (DESIGN §34, decision 622). */
class DrainConfigTest {
    @TempDir Path tmp;

    private Config load(Map<String, String> env, Path project) {
        var full = new HashMap<>(env);
        full.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        full.put("HOME", tmp.toString());
        return new ConfigLoader(LathePaths.fromEnvironment(full), full, tmp.resolve("managed.json")).load(project);
    }

    @Test
    void sixtySecondsByDefaultWhatALayerSaysAndNeverBelowZero() {
        assertThat(load(Map.of(), tmp).drainSeconds()).isEqualTo(60);
        assertThat(load(Map.of("LATHE_CONFIG_CONTENT", "{\"drain\": {\"seconds\": 5}}"), tmp).drainSeconds()).isEqualTo(5);
        assertThat(load(Map.of("LATHE_CONFIG_CONTENT", "{\"drain\": {\"seconds\": 0}}"), tmp).drainSeconds()).isZero();
        assertThatThrownBy(() -> load(Map.of("LATHE_CONFIG_CONTENT", "{\"drain\": {\"seconds\": -3}}"), tmp)).isInstanceOf(ConfigException.class)
                .hasMessage("LATHE_CONFIG_CONTENT:1: drain.seconds: expected a non-negative whole number");
    }

    @Test
    void aBadValueOrKeyNamesTheFileLineAndKey() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("lathe.json"), "{\n  \"drain\": {\n    \"seconds\": \"soon\"\n  }\n}\n");
        assertThatThrownBy(() -> load(Map.of(), project)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(project.resolve("lathe.json") + ":3: drain.seconds:");
        Files.writeString(project.resolve("lathe.json"), "{\n  \"drain\": {\"minutes\": 1}\n}\n");
        assertThatThrownBy(() -> load(Map.of(), project)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(project.resolve("lathe.json") + ":2: drain.minutes: unknown key (expected one of seconds)");
    }
}
