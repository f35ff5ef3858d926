package dev.lathe.core.claudeplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests and parts read as Claude Code reads them; every broken file named with its line and key. */
class ClaudePluginsTest {
    @TempDir Path tmp;

    private Path plugin(String name, String manifest) throws Exception {
        Path root = tmp.resolve(name);
        write(root.resolve(".claude-plugin/plugin.json"), manifest);
        return root;
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String problem(Path root) {
        return assertThatThrownBy(() -> ClaudePlugins.read(root, Map.of())).isInstanceOf(ConfigException.class).actual().getMessage();
    }

    @Test
    void aMinimalManifestLoadsTheDefaultFoldersAndCustomPathsSupplementThem() throws Exception {
        Path root = plugin("p", """
                {
                  "name": "tools",
                  "agents": "./more-agents/",
                  "skills": ["./one-skill"],
                  "hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "echo hi"}]}]},
                  "mcpServers": {"web": {"type": "http", "url": "https://example.com/mcp"}}
                }
                """);
        write(root.resolve("commands/a.md"), "A");
        write(root.resolve("agents/x.md"), "---\ndescription: X\n---\nX");
        write(root.resolve("more-agents/y.md"), "---\ndescription: Y\n---\nY");
        write(root.resolve("one-skill/SKILL.md"), "---\nname: solo\ndescription: one\n---\nbody");
        ClaudePlugin p = ClaudePlugins.read(root, Map.of());
        assertThat(p.name()).isEqualTo("tools");
        assertThat(p.commands()).containsExactly(root.resolve("commands"));
        assertThat(p.agents()).containsExactly(root.resolve("agents"), root.resolve("more-agents"));
        assertThat(p.skills()).containsExactly(root.resolve("one-skill"));
        assertThat(p.hooks()).singleElement().satisfies(h -> {
            assertThat(h.source()).isEqualTo(root.resolve(PluginManifest.FILE));
            assertThat(h.events()).extracting(PluginHooks.Event::name).containsExactly("SessionStart");
            assertThat(h.events().getFirst().line()).isEqualTo(5);
        });
        assertThat(p.mcp()).containsOnlyKeys("plugin_tools_web");
        assertThat(PluginParts.of(p).summary()).isEqualTo("1 command, 2 agents, 1 skill, 1 hook event, 1 MCP server");
    }

    @Test
    void brokenManifestsAndFilesNameTheFileLineAndKey() throws Exception {
        String manifest = tmp.resolve("m/.claude-plugin/plugin.json").toString();
        assertThat(problem(plugin("m", "{\n  \"version\": \"1.0.0\"\n}"))).isEqualTo(manifest + ": name: missing: the plugin's name is required");
        assertThat(problem(plugin("m", "{\n  \"name\": \"My Plugin\"\n}")))
                .isEqualTo(manifest + ":2: name: 'My Plugin' is not a usable plugin name (letters, digits, '-' and '_', at most 64)");
        assertThat(problem(plugin("m", "{\"name\": \"m\",\n \"commands\": [\"./ok\",\n \"custom\"]}")))
                .isEqualTo(manifest + ":3: commands[1]: 'custom' must be relative to the plugin and start with ./");
        assertThat(problem(plugin("m", "{\"name\": \"m\",\n \"agents\": \"./../elsewhere\"}")))
                .isEqualTo(manifest + ":2: agents: './../elsewhere' must stay inside the plugin (no ..)");
        assertThat(problem(plugin("m", "{\"name\": \"m\",\n \"skills\": \"./nowhere\"}")))
                .isEqualTo(manifest + ":2: skills: " + tmp.resolve("m/nowhere") + " does not exist");
        assertThat(problem(plugin("m", "{\"name\": \"m\",\n \"author\": 7}"))).isEqualTo(manifest + ":2: author: expected a string or an object with a name");
        assertThat(problem(plugin("m", "{\"name\": \"m\",, }"))).startsWith(manifest + ":1:").contains(": invalid JSON");

        Path root = plugin("h", "{\"name\": \"h\"}");
        write(root.resolve("hooks/hooks.json"), "{\"hooks\": {\n  \"PreToolUse\": {\"matcher\": \"Bash\"}\n}}");
        assertThat(problem(root)).isEqualTo(root.resolve("hooks/hooks.json") + ":2: hooks.PreToolUse: expected an array of matcher groups"
                + " ({\"matcher\": ..., \"hooks\": [...]})");
        Files.delete(root.resolve("hooks/hooks.json"));
        write(root.resolve(".mcp.json"), "{\"mcpServers\": {\n  \"s\": {\"command\": 3}\n}}");
        assertThat(problem(root)).isEqualTo(root.resolve(".mcp.json") + ":2: mcpServers.s.command: expected the executable to run");
        assertThat(problem(tmp.resolve("none"))).isEqualTo(tmp.resolve("none") + ": not a Claude Code plugin: .claude-plugin/plugin.json is missing");
    }

    @Test
    void aBrokenPluginIsLeftOutAndReportedWhileTheOthersLoad() throws Exception {
        Path good = plugin("good", "{\"name\": \"good\"}");
        Path bad = plugin("bad", "{\"name\": 3}");
        Path twin = plugin("twin", "{\"name\": \"good\"}");
        ClaudePlugins.Loaded loaded = ClaudePlugins.load(List.of(bad, good, twin), Map.of());
        assertThat(loaded.plugins()).extracting(ClaudePlugin::root).containsExactly(good);
        assertThat(loaded.problems()).containsExactly(
                bad.resolve(PluginManifest.FILE) + ":1: name: missing: the plugin's name is required",
                twin.resolve(PluginManifest.FILE) + ": name: the plugin 'good' is already loaded from " + good + "; this one is left out");
    }
}
