package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.RawJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLinesTest {
    @TempDir Path dir;

    @Test
    void aWarningNamesTheFileAndLineOfTheLayerWhoseValueCounts() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Path global = Files.createDirectories(dir.resolve("config/lathe")).resolve("lathe.json");
        Files.writeString(global, "{\n  \"keybinds\": {\"newline\": \"sift+enter\"}\n}\n");
        Files.createDirectories(project.resolve(".lathe"));
        Files.writeString(project.resolve(".lathe/lathe.json"), """
                {
                  // the project's own keys
                  "agent": {"accent": {}},
                  "theme": {
                    "accent": "purplish"
                  },
                  "keybinds": {
                    "sessions": "ctrl+y",
                    "models": "ctrl+y"
                  }
                }
                """);
        var lines = ConfigLines.of(project.toString(), Map.of("HOME", dir.toString(), "XDG_CONFIG_HOME", dir.resolve("config").toString()));
        assertThat(lines.at("theme", "accent")).isEqualTo(project.resolve(".lathe/lathe.json") + ":5: ");
        assertThat(lines.at("keybinds", "newline")).isEqualTo(global + ":2: ");
        assertThat(lines.at("keybinds", "submit")).isEmpty();

        var config = UiConfig.from(new RawJson("""
                {"theme": {"accent": "purplish"}, "keybinds": {"newline": "sift+enter", "sessions": "ctrl+y", "models": "ctrl+y"}}"""), false, lines);
        assertThat(config.warnings()).containsExactlyInAnyOrder(
                project.resolve(".lathe/lathe.json") + ":5: theme.accent: " + config.warnings().stream().filter(w -> w.contains("theme.accent"))
                        .findFirst().orElseThrow().split("theme.accent: ", 2)[1],
                global + ":2: " + config.warnings().stream().filter(w -> w.contains("keybinds.newline")).findFirst().orElseThrow()
                        .split(":2: ", 2)[1],
                project.resolve(".lathe/lathe.json") + ":9: keybinds.sessions and keybinds.models both bind 'ctrl+y'; keybinds.models is ignored");
        assertThat(config.warnings()).allSatisfy(w -> assertThat(w).containsPattern("^/.+:\\d+: (theme|keybinds)\\."));
    }

    @Test
    void inlineConfigIsNamedByItsVariable() {
        var lines = ConfigLines.of(dir.toString(), Map.of("HOME", dir.toString(), "LATHE_CONFIG_CONTENT", "{\"theme\": \"neon\"}"));
        assertThat(lines.at("theme", "")).isEqualTo("LATHE_CONFIG_CONTENT:1: ");
    }
}
