/**
 * Custom slash commands (DESIGN §11): Markdown files in the project's and the user's command folders (and those of
 * OpenCode and Claude Code), found and read into {@link dev.lathe.core.command.CommandFile}s. Running one (argument
 * substitution, {@code !`cmd`} output, {@code @file} includes, the prompt) is core.session's business. Imports
 * core.markdown only.
 */
package dev.lathe.core.command;
