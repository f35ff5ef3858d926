package dev.lathe.tui.github;

import dev.lathe.tui.console.ExitCode;
import java.util.List;
import java.util.Optional;

/**
 * A request on a pull request. When the PR's head is a branch of this repository (and not its default branch), the
 * work is committed on that branch and pushed, fast-forward only. A fork's PR is worked on detached at its head and
 * answered with the change as a patch in the comment: Lathe never pushes to another repository.
 */
final class PullRequestWork {
    private final GitHubRun run;
    private final GitHubSettings settings;
    private final GitHubEvent.PullRequestComment request;

    PullRequestWork(GitHubRun run, GitHubSettings settings, GitHubEvent.PullRequestComment request) {
        this.run = run;
        this.settings = settings;
        this.request = request;
    }

    int run() throws GitHubRest.Failure, InterruptedException {
        Checkout git = run.checkout();
        GitHubRest.PullRequest pr = run.rest().pullRequest(request.number());
        GitHubRest.Comment comment = run.rest().comment(request.number(), run.reply().working(request.actor().login()));
        boolean ours = pr.headRepository().equalsIgnoreCase(run.context().repository()) && !pr.headRef().equals(request.defaultBranch())
                && git.validBranch(pr.headRef());
        String remote;
        String start;
        try {
            remote = git.remoteUrl();
            if (ours) git.checkoutRemoteBranch(remote, pr.headRef());
            else git.checkoutPullHead(remote, pr.number());
            start = git.head();
        } catch (Checkout.GitFailure e) {
            return failed(comment, e.getMessage());
        }
        String prompt = "You are working in a GitHub Actions job on the repository " + run.context().repository() + ", checked out in the current folder"
                + " at the head of pull request #" + pr.number() + (ours ? " (branch " + pr.headRef() + ")" : " (from a fork)") + ", whose base is "
                + pr.baseRef() + ". @" + request.actor().login() + " asked on it:\n\n" + Reply.cut(request.request(), GitHubRun.maxRequest())
                + "\n\nChange the files as asked. Do not commit, push or switch branches: when you finish, Lathe "
                + (ours ? "commits your changes to the pull request's branch" : "posts your changes as a patch") + ". End with a short summary of what you did;"
                + " it is posted as the reply.";
        GitHubRun.Ran ran = run.session(settings, prompt, Optional.empty());
        Optional<String> problem = ran.exit() == ExitCode.FINISHED ? Optional.empty() : Optional.of("the session ended with exit code " + ran.exit() + " (see the run's log)");
        List<String> files;
        List<String> commits;
        Optional<String> patch = Optional.empty();
        try {
            if (ours && !git.onBranch(pr.headRef())) return failed(comment, "the session left branch " + pr.headRef() + "; nothing was pushed");
            git.commitAll("Lathe: " + GitHubRun.title(request.request(), 60) + "\n\nAsked by @" + request.actor().login() + " on #" + pr.number() + ".\n\n"
                    + GitHubRun.coAuthor(request.actor()));
            files = git.filesSince(start);
            commits = git.commitsSince(start);
            if (!commits.isEmpty() && ours) git.push(remote, pr.headRef(), run.context().token());
            if (!commits.isEmpty() && !ours) patch = Optional.of(git.diffSince(start));
        } catch (Checkout.GitFailure e) {
            return failed(comment, e.getMessage());
        }
        run.rest().updateComment(comment.id(), run.reply().done(new Reply.Outcome(ran.answer(), files, ours ? commits : List.of(), Optional.empty(),
                ours && !commits.isEmpty() ? Optional.of(pr.headRef()) : Optional.empty(), patch, problem, ran.costMicros(), ran.tokens())));
        return ran.exit();
    }

    private int failed(GitHubRest.Comment comment, String why) throws GitHubRest.Failure {
        run.log().println("lathe: " + why);
        run.rest().updateComment(comment.id(), run.reply().safe("**Lathe could not finish:** " + why
                + run.context().runLink().map(l -> " ([run](" + l + "))").orElse("")));
        return ExitCode.MODEL_ERROR;
    }
}
