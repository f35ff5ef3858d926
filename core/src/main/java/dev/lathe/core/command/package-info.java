/**
 * Slash commands (DESIGN §11) as {@code POST /sessions/{id}/command} runs them: the built-in ones that need no user
 * interface ({@code /undo}, {@code /redo}, {@code /compact}, {@code /init}), the project's custom Markdown commands
 * (argument substitution, {@code !`cmd`} and {@code @file} pieces handed to an
 * {@link dev.lathe.core.command.CustomCommands.Expansion} that core.session implements with the session's tools), the
 * prompts of the project's MCP servers as {@code /NAME:prompt} ({@link dev.lathe.core.command.McpPromptCommands} over
 * core.mcp's {@code McpContent}), and finding one by name. A command acts on a session only through the functions it is given (prompt, undo, redo,
 * compact), so this package never imports core.session. Imports protocol, mcp's bridge records and the core packages
 * commandfile, context, mcp, model and project.
 */
package dev.lathe.core.command;
