/**
 * Custom slash command files (DESIGN §11): Markdown files in the project's and the user's command folders (and those
 * of OpenCode and Claude Code), found and read into {@link dev.lathe.core.command.file.CommandFile}s. Running one is
 * core.command's business. Imports core.markdown only.
 */
package dev.lathe.core.command.file;
