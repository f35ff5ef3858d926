/**
 * Claude Code's view of a Lathe session, for the scripts written for Claude Code (its hooks read
 * {@code transcript_path}): the session as a JSONL transcript in Claude Code's format ({@link ClaudeTranscript}), kept
 * in a file under the state folder ({@link TranscriptFiles}), and the small table of Claude Code's tool names and input
 * fields for Lathe's ({@link dev.lathe.core.hooks.ClaudeToolNames}), which hook input shares. Reads the store ({@code core.store}); JSON is
 * this package's output format, so it stops here.
 */
package dev.lathe.core.transcript;
