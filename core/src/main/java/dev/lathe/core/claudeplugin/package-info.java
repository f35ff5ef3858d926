/**
 * Claude Code plugin folders (DESIGN §14): a folder with {@code .claude-plugin/plugin.json} whose commands, agents,
 * skills, hooks file and MCP servers Lathe loads unchanged. This package reads the manifest ({@link PluginManifest}),
 * finds each part ({@link ClaudePlugins}) and installs plugins into the data folder ({@link PluginInstalls}); the
 * command, agent and skill loaders and the configuration take the parts it found, and the hook engine takes
 * {@link PluginHooks}. May import {@code core.config} and {@code mcp}.
 */
package dev.lathe.core.claudeplugin;
