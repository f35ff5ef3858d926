/**
 * Custom slash command files (DESIGN §11): Markdown files in the project's and the user's command folders (and those
 * of OpenCode and Claude Code), found and read into {@link dev.lathe.core.commandfile.CommandFile}s (each passing core.permission's check first). Running one is
 * core.command's business. Imports core.markdown and core.permission.
 */
package dev.lathe.core.commandfile;
