/**
 * Other harnesses' sessions brought into Lathe (DESIGN §21, {@code lathe import --from}). One reader per harness behind
 * the sealed {@link dev.lathe.core.imports.HistoryReader} ({@code ClaudeCodeHistory}, {@code CodexHistory},
 * {@code OpenCodeHistory}) reads that harness's own files, line by line, never writing them, into Lathe's messages and
 * parts through one {@code TranscriptBuilder}; tool names go through {@code ToolNames}. Ids are derived from the source
 * and its ids ({@code ImportIds}), so importing again finds the same session and adds only what is new
 * ({@link dev.lathe.core.imports.HistoryImports}). {@link dev.lathe.core.imports.NewSessions} is where every session
 * comes to exist, imported or not (a new session, a subagent's child, a Lathe export read back, a fork): written whole,
 * then announced. Imports protocol and the core packages bus, project and store.
 */
package dev.lathe.core.imports;
