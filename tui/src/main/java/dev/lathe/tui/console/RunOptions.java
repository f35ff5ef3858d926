package dev.lathe.tui.console;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.Delivery;
import java.util.Optional;

/**
 * What {@code lathe run} was asked to do, after parsing. {@code piped}: what its standard input held when it was not a
 * terminal ({@link PipedStdin}), appended to the message. {@code delivery}: what the prompt does to a busy session
 * ({@code --deliver}; absent: the server's default, queue).
 */
public record RunOptions(String directory, String message, Optional<String> piped, Optional<String> model, Optional<String> agent,
        Optional<String> session, boolean continueLatest, OutputFormat format, boolean allowAll, Optional<CreateSessionRequest.NewWorktree> worktree,
        Optional<Delivery> delivery) {

    /** Options whose session runs in {@code directory} itself. */
    public RunOptions(String directory, String message, Optional<String> piped, Optional<String> model, Optional<String> agent,
            Optional<String> session, boolean continueLatest, OutputFormat format, boolean allowAll) {
        this(directory, message, piped, model, agent, session, continueLatest, format, allowAll, Optional.empty(), Optional.empty());
    }

    /** These options with the prompt delivered as {@code how} when the session is busy ({@code --deliver}, DESIGN §18). */
    public RunOptions delivered(Optional<Delivery> how) {
        return new RunOptions(directory, message, piped, model, agent, session, continueLatest, format, allowAll, worktree, how);
    }

    /** These options with the new session in a new worktree of {@code directory}'s repository ({@code --worktree}, DESIGN §19). */
    public RunOptions inNewWorktree(Optional<String> name) {
        return new RunOptions(directory, message, piped, model, agent, session, continueLatest, format, allowAll,
                Optional.of(new CreateSessionRequest.NewWorktree(name)), delivery);
    }

    /**
     * These options as a fleet task of a team server: the session in a new worktree of {@code repo} (a git URL) from
     * {@code base}, named {@code name} (generated when empty), on whichever node has room ({@code --repo}, DESIGN §20).
     */
    public RunOptions inTask(String repo, Optional<String> base, Optional<String> name) {
        return new RunOptions(directory, message, piped, model, agent, session, continueLatest, format, allowAll,
                Optional.of(new CreateSessionRequest.NewWorktree(name, Optional.of(repo), base)), delivery);
    }

    /**
     * The options of a goal loop's next turn ({@link GoalLoop}): {@code prompt} sent to {@code session}, by the same agent
     * and with the same answers to asks; the model chosen for the first turn is the session's by then.
     */
    RunOptions followUp(SessionId session, String prompt) {
        return new RunOptions(directory, prompt, Optional.empty(), Optional.empty(), agent, Optional.of(session.value()), false, format, allowAll,
                Optional.empty(), delivery);
    }

    /** The message with the piped text after it, separated by a blank line: what the model is sent. */
    public String prompt() {
        if (piped.isEmpty()) return message;
        return message.isEmpty() ? piped.get() : message + "\n\n" + piped.get();
    }
}
