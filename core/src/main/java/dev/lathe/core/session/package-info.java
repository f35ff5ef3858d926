/**
 * Sessions (DESIGN §8): the facade over the session's rooms and their wiring. {@link dev.lathe.core.session.Sessions}
 * holds the session operations behind the API (create, prompt, abort, fork, revert, diff, shell, commands, export and
 * import, administration — each in a class of its own: {@code SessionAdmin}, {@code SessionReads},
 * {@code SessionExports}, {@code SessionTransfer}, ...), and {@code SessionWiring} is the session stage of the
 * composition root. The rooms below it, bottom-up, each a package of its own (decision 525): {@code journal} (the
 * history as it is written), {@code context} (what a turn's requests are built from, per session), {@code inbox}
 * (what arrives in a session: every {@code Arrival} enters through its {@code Inbox}; decision 521), {@code background} (work that runs on without its session), {@code turn}
 * (a turn and its steps, with compaction, child sessions and teams, which run turns and which a turn runs),
 * {@code runner} (one runner per session, whose thread runs its tasks) and {@code history} (revert, rewind, undo,
 * fork, a manual compaction). What the model is sent is core.context's; the asks of a tool call core.ask's; slash
 * commands core.command's; usage and cache reports core.report's. No core package imports this one or its rooms but
 * core.api (the facade) and the core root (wiring; {@code RunningTurns} for the hooks).
 */
package dev.lathe.core.session;
