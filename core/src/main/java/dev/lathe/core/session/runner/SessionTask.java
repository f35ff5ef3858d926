package dev.lathe.core.session.runner;

import dev.lathe.core.session.turn.Compactor;
import dev.lathe.core.session.turn.Turn;
import dev.lathe.llm.Cancellation;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.RewindResult;
import dev.lathe.protocol.session.Session;

/**
 * What a session runs, one at a time ({@link SessionRunner#run}, {@link SessionRunner#wake}): each task gets the
 * session's one cancel token (an abort stops whichever runs) and the one busy/idle lifecycle (the session shows busy,
 * the task runs, the session shows idle, and a prompt stored meanwhile is answered after it). The set is closed: a new
 * kind of work (a background child, a steered prompt; issue 56) becomes a new task here rather than a second way of
 * occupying a session. A task is a value, so a runner may hold it until the session is free.
 *
 * <p>{@link Turns} answers the session's prompts, one turn after another, on the runner's own thread; the others run
 * on the caller's thread and hand it their result.
 *
 * @param <T> what the task hands back
 */
public sealed interface SessionTask<T> {
    /** Runs the task in {@code session}; {@code cancel} is the session's token, cancelled by an abort. */
    T run(Session session, Cancellation cancel);

    /** What a task does with the session it runs in and its cancel token. */
    @FunctionalInterface
    interface Work<T> {
        T run(Session session, Cancellation cancel);
    }

    /**
     * Answers the session's waiting prompts, turn after turn, until none waits or a turn ends otherwise than finished.
     * It ends by looking for a prompt sent since (after an abort, only one newer than what it marked not run).
     */
    record Turns(Work<Turn.Ending> work) implements SessionTask<Turn.Ending> {
        @Override public Turn.Ending run(Session session, Cancellation cancel) { return work.run(session, cancel); }
    }

    /** {@code /compact}: summarises the session's earlier turns now. */
    record Compaction(Work<Compactor.Outcome> work) implements SessionTask<Compactor.Outcome> {
        @Override public Compactor.Outcome run(Session session, Cancellation cancel) { return work.run(session, cancel); }
    }

    /** A rewind that has the model summarise the turns it takes back ("summarise from here", {@link dev.lathe.core.session.history.Rewinds#summarise}). */
    record Rewind(Work<RewindResult> work) implements SessionTask<RewindResult> {
        @Override public RewindResult run(Session session, Cancellation cancel) { return work.run(session, cancel); }
    }

    /** A command the user runs in the session's folder ({@link dev.lathe.core.session.turn.UserShell}), recorded with its output. */
    record Shell(Work<MessageWithParts> work) implements SessionTask<MessageWithParts> {
        @Override public MessageWithParts run(Session session, Cancellation cancel) { return work.run(session, cancel); }
    }

    /** A command template's {@code !cmd} and {@code @file} pieces, expanded before the prompt is sent ({@link CommandExpansion}). */
    record Expansion(Work<String> work) implements SessionTask<String> {
        @Override public String run(Session session, Cancellation cancel) { return work.run(session, cancel); }
    }

    /** A subagent's turn in its own (child) session, run for the parent's {@code task} call ({@link dev.lathe.core.session.turn.ChildTurns}). */
    record ChildTurn(Work<Turn.Ending> work) implements SessionTask<Turn.Ending> {
        @Override public Turn.Ending run(Session session, Cancellation cancel) { return work.run(session, cancel); }
    }

    /** Whether the task answers prompts itself (so it leaves none waiting), rather than being work prompts wait for. */
    default boolean answersPrompts() {
        return switch (this) {
            case Turns _ -> true;
            case Compaction _, Rewind _, Shell _, Expansion _, ChildTurn _ -> false;
        };
    }
}
