/**
 * Lathe sessions written into other harnesses' own storage (DESIGN §27, {@code lathe export ID --to}): Claude Code's
 * transcript files ({@code ClaudeCodeWriter}, records made by {@code ClaudeCodeTranscript}) and OpenCode's SQLite
 * database ({@code OpenCodeWriter}, rows made by {@code OpenCodeRows}), chosen by {@link dev.lathe.core.exports.HarnessWriters}.
 * Each writes only where that harness already keeps a session of the folder, all at once or not at all (a temporary
 * file moved into place, one transaction), and names what its format cannot carry ({@code NotCarried}). Tool names and
 * arguments are mapped back by {@code ExportedTools}. Imports protocol, tools' nothing, and core's nothing but what the
 * caller hands in ({@link dev.lathe.core.exports.ExportSource}).
 */
package dev.lathe.core.exports;
