package dev.lathe.core.claudeplugin;

import dev.lathe.mcp.McpServerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One Claude Code plugin folder, read: its {@code manifest}, its {@code root}, and where each kind of part is. Command
 * and agent sources are folders of {@code *.md} files or single files; skill sources are folders of skill folders
 * ({@code NAME/SKILL.md}) or one skill folder. Every name it contributes is prefixed with the plugin's name, as Claude
 * Code does: commands {@code /PLUGIN:cmd}, agents and skills {@code PLUGIN:name}, and MCP servers
 * {@code plugin_PLUGIN_server} (Claude Code's {@code plugin:PLUGIN:server}, in the characters a Lathe server name
 * allows; its tools are then {@code plugin_PLUGIN_server_tool}, as Claude Code's {@code mcp__plugin_PLUGIN_server__tool}).
 *
 * @param mcp the MCP servers by their prefixed names, {@code ${CLAUDE_PLUGIN_ROOT}} expanded and set in a local
 *     server's environment
 */
public record ClaudePlugin(PluginManifest manifest, Path root, List<Path> commands, List<Path> agents, List<Path> skills,
        List<PluginHooks> hooks, Map<String, McpServerSpec> mcp) {
    /** The variable a plugin's files use for the plugin's folder. */
    public static final String ROOT_VARIABLE = "CLAUDE_PLUGIN_ROOT";

    public ClaudePlugin {
        commands = List.copyOf(commands);
        agents = List.copyOf(agents);
        skills = List.copyOf(skills);
        hooks = List.copyOf(hooks);
        mcp = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(mcp));
    }

    public String name() { return manifest.name(); }

    /** {@code text} with {@code ${CLAUDE_PLUGIN_ROOT}} replaced by this plugin's folder (commands' and agents' text). */
    public String expandRoot(String text) {
        return text.replace("${" + ROOT_VARIABLE + "}", root.toString());
    }
}
