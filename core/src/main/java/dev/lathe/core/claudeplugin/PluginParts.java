package dev.lathe.core.claudeplugin;

import dev.lathe.core.commandfile.CommandFiles;
import dev.lathe.core.skill.SkillFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one plugin brings, counted as the loaders will find it: its commands, agents, skills, hook events and MCP
 * servers ({@code lathe plugin list}, {@code lathe plugin add}).
 */
public record PluginParts(int commands, int agents, int skills, int hookEvents, int mcpServers) {
    public static PluginParts of(ClaudePlugin plugin) {
        var loaded = new ClaudePlugins.Loaded(List.of(plugin), List.of());
        int commands = CommandFiles.find(List.of(), List.of(), loaded.commandSources()).size();
        int skills = SkillFiles.find(List.of(), List.of(), loaded.skillSources()).skills().size();
        int agents = 0;
        for (Path p : plugin.agents()) agents += markdownFiles(p);
        int events = plugin.hooks().stream().mapToInt(h -> h.events().size()).sum();
        return new PluginParts(commands, agents, skills, events, plugin.mcp().size());
    }

    /** {@code 2 commands, 1 agent, 1 skill, 1 hook event, 1 MCP server}; {@code -} for none. */
    public String summary() {
        List<String> out = new ArrayList<>();
        add(out, commands, "command");
        add(out, agents, "agent");
        add(out, skills, "skill");
        add(out, hookEvents, "hook event");
        add(out, mcpServers, "MCP server");
        return out.isEmpty() ? "-" : String.join(", ", out);
    }

    private static void add(List<String> out, int n, String what) {
        if (n > 0) out.add(n + " " + what + (n == 1 ? "" : "s"));
    }

    private static int markdownFiles(Path p) {
        if (Files.isRegularFile(p)) return 1;
        try (Stream<Path> s = Files.list(p)) {
            return (int) s.filter(f -> f.getFileName().toString().endsWith(".md") && Files.isRegularFile(f)).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
