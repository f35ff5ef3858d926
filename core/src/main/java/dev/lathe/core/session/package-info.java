/**
 * Sessions and the turn loop (DESIGN §8): the session operations behind the API ({@code Sessions}: create, prompt,
 * abort, fork, revert, diff, export and import, administration), one runner per session on its own virtual thread,
 * the turn and its steps (stream the model's answer into stored parts, run the tool calls, snapshots, retries,
 * failover, compaction, queued prompts), subagents as child sessions, and the journal that persists every change
 * before announcing it. What the model is sent is core.context's; the asks of a tool call core.ask's; slash commands
 * core.command's; usage and cache reports core.report's. Imports protocol, llm, tools and the other core packages;
 * none of them imports this one but core.api (the facade) and the core root (wiring).
 */
package dev.lathe.core.session;
