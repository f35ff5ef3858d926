/**
 * Sessions and the turn loop (DESIGN §8). {@link dev.lathe.core.session.Sessions} holds the session operations behind
 * the API (create, prompt, abort, fork, revert, diff, shell, commands, export and import, administration — each in a
 * class of its own); whatever arrives in a session (a prompt, a schedule's firing, a child's result, a teammate's
 * message: an {@code Arrival}) enters through its {@code Inbox}, and a prompt's message is built by {@code PromptIntake}
 * (agent, model, environment note, title) for API prompts and subagent tasks alike. {@code Runners} keep one {@code SessionRunner} per session, whose virtual thread
 * runs its {@code SessionTask}s; a {@code Turn} runs a {@code Responder} (the model's steps, or an ACP agent) in its {@code TurnFrame} (hooks,
 * spend limits, the message's lifecycle, snapshots), one frame across a failover. A turn is in parts: {@code TurnState}, {@code FailedStep} with its
 * pure {@code Recovery}, {@code StepSnapshots}, {@code InboxHistory}, {@code Fallbacks}, {@code Compactor}. The steps run in a
 * {@code StepLoop} that knows nothing of the store: it streams the model's answer into parts ({@code StepStream},
 * written to {@code StepParts}) and fans its tool calls out ({@code ToolCallRunner}, built per step by
 * {@code ModelStep}) through core.toolcall's pipeline, while {@code ModelResponder} reads the history and decides
 * between steps;
 * what a failed attempt streamed leaves the history for the {@code RawLog} (a file per session under the state folder).
 * {@code Journal} persists every change before announcing it, and keeps a running session's history in memory
 * ({@code LiveHistory}). What the model is sent is core.context's; the asks of a tool call core.ask's; slash commands
 * core.command's; usage and cache reports core.report's. Imports protocol, llm, tools and the core packages agent,
 * ask, bus, command, config, context, markdown, model, permission, project, question, report, skill, snapshot, store
 * and toolcall; no core package imports this one but core.api (the facade) and the core root (wiring).
 */
package dev.lathe.core.session;
