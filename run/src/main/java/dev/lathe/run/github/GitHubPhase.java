package dev.lathe.run.github;

/**
 * The part of {@code lathe github run} a step runs. The installed workflow runs the three in separate jobs so that no
 * process the model's commands can reach ever holds the job's write token: {@link #GATE} (token, no model) decides and
 * makes the progress comment, {@link #AGENT} (no token; the provider key only in Lathe's own memory) runs the session
 * and leaves a result and a git bundle, {@link #PUBLISH} (token, fresh runner) pushes, opens, reviews and comments.
 * {@link #ALL} does the three in one process, for a self-hosted runner or a try on one's own machine.
 */
public enum GitHubPhase {
    ALL,
    GATE,
    AGENT,
    PUBLISH;

    /** Whether this phase talks to GitHub with the token. */
    public boolean needsToken() { return this != AGENT; }
}
