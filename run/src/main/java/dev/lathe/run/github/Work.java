package dev.lathe.run.github;

/**
 * One kind of request, in the three parts the workflow runs apart ({@link GitHubPhase}): what needs the token before
 * the model, what the model does without it, and what needs the token after.
 */
sealed interface Work permits IssueWork, PullRequestWork, ReviewWork, DispatchWork {
    /** With the token, before the model: the progress comment and what the agent and publish steps need. */
    Handoff gate() throws GitHubRest.Failure;

    /** Without the token: the session on the checkout and its commit. */
    AgentResult agent(Handoff handoff) throws InterruptedException;

    /** With the token, after the model, on a checkout holding the result's commits: push, pull request, review, comment. */
    int publish(Handoff handoff, AgentResult result) throws GitHubRest.Failure;
}
