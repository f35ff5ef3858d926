package dev.lathe.run.github;

import dev.lathe.run.console.ExitCode;
import java.util.List;
import java.util.Optional;

/**
 * A request on a pull request. When the PR's head is a branch of this repository (and not its default branch), the
 * work is committed on that branch and pushed, fast-forward only. A fork's PR is worked on detached at its head and
 * answered with the change as a patch in the comment: Lathe never pushes to another repository.
 */
final class PullRequestWork implements Work {
    private final GitHubRun run;
    private final GitHubSettings settings;
    private final GitHubEvent.PullRequestComment request;

    PullRequestWork(GitHubRun run, GitHubSettings settings, GitHubEvent.PullRequestComment request) {
        this.run = run;
        this.settings = settings;
        this.request = request;
    }

    @Override
    public Handoff gate() throws GitHubRest.Failure {
        GitHubRest.PullRequest pr = run.rest().pullRequest(request.number());
        GitHubRest.Comment comment = run.rest().comment(request.number(), run.reply().working(request.actor().login()));
        boolean ours = pr.headRepository().equalsIgnoreCase(run.context().repository()) && !pr.headRef().equals(request.defaultBranch())
                && run.checkout().validBranch(pr.headRef());
        String start = pr.headSha().matches("[0-9a-f]{40}") ? pr.headSha() : "";
        return new Handoff(comment.id(), "refs/pull/" + pr.number() + "/head", start, ours ? pr.headRef() : "", ours ? pr.headRef() : "",
                ours ? pr.headRef() : "", pr.baseRef());
    }

    @Override
    public AgentResult agent(Handoff handoff) throws InterruptedException {
        Checkout git = run.checkout();
        boolean ours = !handoff.pushTo().isEmpty();
        String start;
        try {
            if (handoff.start().isEmpty() || !git.head().equals(handoff.start())) {
                // the workflow checks out the PR's head; a checkout elsewhere (lathe github run in one process) fetches it
                String remote = run.remote();
                if (ours) git.checkoutRemoteBranch(remote, handoff.pushTo());
                else git.checkoutPullHead(remote, request.number());
            }
            if (ours) git.branchHere(handoff.branch());
            start = git.head();
        } catch (Checkout.GitFailure e) {
            return run.refused(run.headOrEmpty(), GitHubRun.Ran.NONE, e.getMessage());
        }
        String prompt = GitHubText.prompt("You are working in a GitHub Actions job on the repository " + run.context().repository()
                + ", checked out in the current folder at the head of pull request #" + request.number()
                + (ours ? " (branch " + handoff.headRef() + ")" : " (from a fork)") + ", whose base is " + handoff.baseRef() + ". @" + request.actor().login()
                + " asked for a change in a comment on it. Change the files as asked. Do not commit, push or switch branches: when you finish, Lathe "
                + (ours ? "commits your changes to the pull request's branch" : "posts your changes as a patch") + ". End with a short summary of what you did;"
                + " it is posted as the reply.", List.of(new GitHubText.Piece(request.actor().login(), "comment on pull request #" + request.number(), request.request())));
        GitHubRun.Ran ran = run.session(settings, prompt, Optional.empty());
        return run.finish(handoff, start, ran, "Lathe: " + GitHubRun.title(request.request(), 60) + "\n\nAsked by @" + request.actor().login() + " on #"
                + request.number() + ".\n\n" + GitHubRun.coAuthor(request.actor()), "");
    }

    @Override
    public int publish(Handoff handoff, AgentResult result) throws GitHubRest.Failure {
        if (result.refused().isPresent()) return run.failed(handoff, result.refused().get());
        Checkout git = run.checkout();
        boolean ours = !handoff.pushTo().isEmpty();
        Optional<String> problem = result.exit() == ExitCode.FINISHED ? Optional.empty()
                : Optional.of("the session ended with exit code " + result.exit() + " (see the run's log)");
        List<String> files;
        List<String> commits;
        Optional<String> patch = Optional.empty();
        try {
            files = git.filesSince(result.start());
            commits = git.commitsSince(result.start());
            if (!commits.isEmpty() && ours) git.push(run.remote(), handoff.pushTo(), run.context().token());
            if (!commits.isEmpty() && !ours) patch = Optional.of(git.diffSince(result.start()));
        } catch (Checkout.GitFailure e) {
            return run.failed(handoff, e.getMessage());
        }
        run.rest().updateComment(handoff.comment(), run.reply().done(new Reply.Outcome(result.answer(), files, ours ? commits : List.of(), Optional.empty(),
                ours && !commits.isEmpty() ? Optional.of(handoff.pushTo()) : Optional.empty(), patch, problem, result.costMicros(), result.tokens())));
        return result.exit();
    }
}
