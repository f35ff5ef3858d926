/**
 * The tool-call pipeline: the one path every tool call takes — the model's calls (built-in tools, subagent tasks,
 * tools from outside the built-in set), the {@code !cmd} and {@code @file} pieces of custom commands and the
 * commands a user runs — in one documented order ({@link dev.lathe.core.toolcall.ToolCallPipeline}), with a named seam
 * per step where hooks, an OS sandbox, LSP diagnostics and an audit log plug in ({@link
 * dev.lathe.core.toolcall.ToolCallSeams}). It knows tools only by what they declare ({@link dev.lathe.tools.Tool#effects},
 * {@link dev.lathe.tools.Tool#permission}, {@link dev.lathe.tools.Tool#truncation}), never by name. It does not
 * fan calls out or store parts itself: the session's step runner does, through {@link
 * dev.lathe.core.toolcall.PartRecorder}. Imports protocol (parts, and {@code WireJson} to read a declared argument)
 * and tools; no llm and no other core package.
 */
package dev.lathe.core.toolcall;
