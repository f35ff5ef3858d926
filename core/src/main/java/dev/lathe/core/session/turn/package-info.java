/**
 * One turn and its steps (DESIGN §8): the {@code Turn} runs a {@code Responder} (the model's steps in a
 * {@code StepLoop}, or an ACP agent) in its {@code TurnFrame}; the steps stream ({@code StepStream}) and fan their
 * tool calls out ({@code ToolCallRunner}); failures recover or fail over ({@code FailedStep}, {@code Fallbacks});
 * what a turn calls back into lives here with it: compaction ({@code Compactor}), child sessions and teams ({@code
 * Subtasks}, {@code AgentTeams}, the {@code ChildTurns} port), since each of them runs turns and a turn runs each
 * of them.
 */
package dev.lathe.core.session.turn;
