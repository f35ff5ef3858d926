/**
 * Hooks in Claude Code's contract (DESIGN §14): the events ({@link dev.lathe.core.hooks.HookEvent}), matchers, the
 * {@code command} and {@code http} handlers, the JSON each handler reads and writes, and how the results of the
 * handlers that ran in parallel combine into one {@link dev.lathe.core.hooks.HookOutcome} the core acts on. Hooks
 * written in Claude Code's or Codex's files see Claude Code's tool names and argument names
 * ({@link dev.lathe.core.hooks.ClaudeToolNames}); hooks from {@code lathe.json} see Lathe's. JSON stops here: the core
 * hands in records and receives records. Tool events fire on the pipeline's seams
 * ({@link dev.lathe.core.hooks.ToolCallHooks}); the session's own events ({@code UserPromptSubmit}, {@code Stop},
 * {@code SessionStart}, compaction, subagents, permission asks, notifications) through
 * {@link dev.lathe.core.hooks.SessionHooks}, which the session code calls and whose outcomes it acts on; a tool
 * event's {@code continue: false} waits in {@link dev.lathe.core.hooks.HookStops} for its turn. Config binding lives in {@code core.config}; this package imports
 * {@code core.toolcall} (the seams {@link dev.lathe.core.hooks.ToolCallHooks} plugs into), {@code tools} and the JDK.
 */
package dev.lathe.core.hooks;
