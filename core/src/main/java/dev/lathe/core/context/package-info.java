/**
 * What the model is sent (DESIGN §7, §12): the request of one step built from a session's history in the cache-stable
 * layout ({@link dev.lathe.core.context.ContextBuilder}: system block A, tools sorted by name, system block B, messages),
 * the part of the history compaction leaves visible ({@link dev.lathe.core.context.ContextView}), the overflow budget
 * ({@link dev.lathe.core.context.ContextBudget}), which tools an agent is offered
 * ({@link dev.lathe.core.context.AgentTools}), the environment note of a first prompt, the block checksums each step
 * records for the cache report, and the prompt texts shipped as resources. Pure functions of their inputs, except
 * that the environment note runs {@code git status}: nothing here stores or publishes anything. Imports protocol, llm,
 * tools (the registry whose definitions are sent) and the core packages agent, model, project, snapshot and toolcall (only {@code ExtensionTools}, the MCP tools appended after the built-ins); never
 * core.session.
 */
package dev.lathe.core.context;
