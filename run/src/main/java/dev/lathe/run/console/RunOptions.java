package dev.lathe.run.console;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.Delivery;
import java.util.Optional;

/**
 * What {@code lathe run} was asked to do, after parsing. {@code piped}: what its standard input held when it was not a
 * terminal ({@link PipedStdin}), appended to the message. {@code delivery}: what the prompt does to a busy session
 * ({@code --deliver}; absent: the server's default, queue). {@code unattended}: whether a person answers the turn's asks
 * (DESIGN §26).
 */
public record RunOptions(String directory, String message, Optional<String> piped, Optional<String> model, Optional<String> agent,
        Optional<String> session, boolean continueLatest, OutputFormat format, boolean allowAll, Optional<CreateSessionRequest.NewWorktree> worktree,
        Optional<Delivery> delivery, Unattended unattended, Approver approver) {

    /** Who answers first what the rules leave to ask: a person (as {@link Unattended} says), or auto-approval's classifier ({@code --auto}). */
    public enum Approver { PERSON, CLASSIFIER }

    public RunOptions(String directory, String message, Optional<String> piped, Optional<String> model, Optional<String> agent,
            Optional<String> session, boolean continueLatest, OutputFormat format, boolean allowAll, Optional<CreateSessionRequest.NewWorktree> worktree,
            Optional<Delivery> delivery, Unattended unattended) {
        this(directory, message, piped, model, agent, session, continueLatest, format, allowAll, worktree, delivery, unattended, Approver.PERSON);
    }

    /** These options with the run's asks answered first by {@code who} ({@code --auto}: the classifier, DESIGN §31). */
    public RunOptions approvedBy(Approver who) {
        return new RunOptions(directory, message, piped, model, agent, session, continueLatest, format, allowAll, worktree, delivery, unattended, who);
    }

    /** Who answers the asks of the run's turns, when {@code allowAll} does not. */
    public enum Unattended {
        /** {@code lathe run} itself: each ask is rejected, printed, and ends the turn (exit 3, DESIGN §3). */
        NO,
        /** Nobody (a goal loop's turns): the server answers as {@code permission.unattended} says (denied and reported by default). */
        POLICY,
        /** Nobody ({@code --deny-asks}): the server denies each ask, and the model reads the denial. */
        DENY_ASKS
    }

    public RunOptions(String directory, String message, Optional<String> piped, Optional<String> model, Optional<String> agent,
            Optional<String> session, boolean continueLatest, OutputFormat format, boolean allowAll, Optional<CreateSessionRequest.NewWorktree> worktree,
            Optional<Delivery> delivery) {
        this(directory, message, piped, model, agent, session, continueLatest, format, allowAll, worktree, delivery, Unattended.NO);
    }

    /** These options with the asks of their turns answered as {@code how}. */
    public RunOptions answering(Unattended how) {
        return new RunOptions(directory, message, piped, model, agent, session, continueLatest, format, allowAll, worktree, delivery, how, approver);
    }

    /** Options whose session runs in {@code directory} itself. */
    public RunOptions(String directory, String message, Optional<String> piped, Optional<String> model, Optional<String> agent,
            Optional<String> session, boolean continueLatest, OutputFormat format, boolean allowAll) {
        this(directory, message, piped, model, agent, session, continueLatest, format, allowAll, Optional.empty(), Optional.empty());
    }

    /** These options with the prompt delivered as {@code how} when the session is busy ({@code --deliver}, DESIGN §18). */
    public RunOptions delivered(Optional<Delivery> how) {
        return new RunOptions(directory, message, piped, model, agent, session, continueLatest, format, allowAll, worktree, how, unattended, approver);
    }

    /** These options with the new session in a new worktree of {@code directory}'s repository ({@code --worktree}, DESIGN §19). */
    public RunOptions inNewWorktree(Optional<String> name) {
        return new RunOptions(directory, message, piped, model, agent, session, continueLatest, format, allowAll,
                Optional.of(new CreateSessionRequest.NewWorktree(name)), delivery, unattended, approver);
    }

    /**
     * These options as a fleet task of a team server: the session in a new worktree of {@code repo} (a git URL) from
     * {@code base}, named {@code name} (generated when empty), on whichever node has room ({@code --repo}, DESIGN §20).
     */
    public RunOptions inTask(String repo, Optional<String> base, Optional<String> name) {
        return new RunOptions(directory, message, piped, model, agent, session, continueLatest, format, allowAll,
                Optional.of(new CreateSessionRequest.NewWorktree(name, Optional.of(repo), base)), delivery, unattended, approver);
    }

    /**
     * The options of a goal loop's next turn ({@link GoalLoop}): {@code prompt} sent to {@code session}, by the same agent
     * and with the same answers to asks; the model chosen for the first turn is the session's by then.
     */
    RunOptions followUp(SessionId session, String prompt) {
        return new RunOptions(directory, prompt, Optional.empty(), Optional.empty(), agent, Optional.of(session.value()), false, format, allowAll,
                Optional.empty(), delivery, unattended, approver);
    }

    /** The message with the piped text after it, separated by a blank line: what the model is sent. */
    public String prompt() {
        if (piped.isEmpty()) return message;
        return message.isEmpty() ? piped.get() : message + "\n\n" + piped.get();
    }
}
