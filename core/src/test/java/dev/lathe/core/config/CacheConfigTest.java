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

/** The {@code cache} key: {@code {"strategy": "auto" | "warm" | "compact" | "none"}} (DESIGN §28, decision 504). */
class CacheConfigTest {
    @TempDir Path tmp;

    private Config load(Map<String, String> env, Path project) {
        var full = new HashMap<>(env);
        full.put("XDG_CONFIG_HOME", tmp.resolve("xdg-config").toString());
        full.put("HOME", tmp.toString());
        return new ConfigLoader(LathePaths.fromEnvironment(full), full, tmp.resolve("managed.json")).load(project);
    }

    @Test
    void autoByDefaultAndWhatALayerSays() {
        assertThat(load(Map.of(), tmp).cacheStrategy()).isEqualTo("auto");
        assertThat(load(Map.of("LATHE_CONFIG_CONTENT", "{\"cache\": {\"strategy\": \"warm\"}}"), tmp).cacheStrategy()).isEqualTo("warm");
        assertThat(load(Map.of("LATHE_CONFIG_CONTENT", "{\"cache\": {\"strategy\": \"none\"}}"), tmp).cacheStrategy()).isEqualTo("none");
    }

    @Test
    void aBadValueOrKeyNamesTheFileLineAndKey() throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(project.resolve("lathe.json"), "{\n  \"cache\": {\n    \"strategy\": \"warmer\"\n  }\n}\n");
        assertThatThrownBy(() -> load(Map.of(), project)).isInstanceOf(ConfigException.class)
                .hasMessage(project.resolve("lathe.json") + ":3: cache.strategy: expected one of auto, compact, none, warm, got \"warmer\"");
        Files.writeString(project.resolve("lathe.json"), "{\n  \"cache\": {\"ttl\": \"1h\"}\n}\n");
        assertThatThrownBy(() -> load(Map.of(), project)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(project.resolve("lathe.json") + ":2: cache.ttl: unknown key (expected one of strategy)");
    }
}
