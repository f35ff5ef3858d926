package dev.lathe.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration files {@code lathe doctor} lists for a project: OpenCode's count, as the loader reads them. */
class ConfigFilesTest {
    @TempDir Path home;
    @TempDir Path project;

    @Test
    void aProjectWithOnlyAnOpencodeJsonListsItCheckedAsLatheReadsIt() throws Exception {
        Files.writeString(project.resolve("opencode.json"), """
                {"$schema": "https://opencode.ai/config.json", "theme": "tokyonight",
                 "mcp": {"ev": {"type": "local", "command": ["mcp-server-everything"], "enabled": true}}}
                """);
        var paths = LathePaths.fromEnvironment(Map.of("HOME", home.toString()));
        var layers = ConfigFiles.of(paths, Map.of("HOME", home.toString()), project, home.resolve("no-managed.json"));
        // before: none listed, and doctor said "none found: the built-in defaults apply" while its servers ran
        assertThat(layers).containsExactly(new ConfigFiles.Layer(project.resolve("opencode.json") + " (OpenCode's; the keys Lathe reads)",
                Optional.empty(), java.util.List.of("theme")));

        Files.writeString(project.resolve("opencode.json"), "{\"mcp\": {\"ev\": {\"type\": \"local\", \"command\": 7}}}");
        assertThat(ConfigFiles.of(paths, Map.of("HOME", home.toString()), project, home.resolve("no-managed.json")).getFirst().problem())
                .as("a broken key Lathe reads is a problem of that file").isPresent();
    }
}
