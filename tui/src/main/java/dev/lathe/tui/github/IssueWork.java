package dev.lathe.tui.github;

import dev.lathe.tui.console.ExitCode;
import java.util.List;
import java.util.Optional;

/**
 * An issue's request: the work on a new branch {@code lathe/issue-N} from the checked-out commit, pushed (never forced)
 * and opened as a pull request into the default branch, and the progress comment replaced by what was done. The
 * branch's name is made of the issue's number only: nothing of its title reaches a git argument.
 */
final class IssueWork {
    private final GitHubRun run;
    private final GitHubSettings settings;
    private final GitHubEvent.IssueRequest issue;

    IssueWork(GitHubRun run, GitHubSettings settings, GitHubEvent.IssueRequest issue) {
        this.run = run;
        this.settings = settings;
        this.issue = issue;
    }

    int run() throws GitHubRest.Failure, InterruptedException {
        String branch = "lathe/issue-" + issue.number();
        Checkout git = run.checkout();
        GitHubRest.Comment comment = run.rest().comment(issue.number(), run.reply().working(issue.actor().login()));
        String start;
        String remote;
        try {
            remote = git.remoteUrl();
            start = git.head();
            git.newBranch(branch);
        } catch (Checkout.GitFailure e) {
            return failed(comment, e.getMessage());
        }
        String prompt = "You are working in a GitHub Actions job on the repository " + run.context().repository() + ", checked out in the current folder"
                + " on the new branch " + branch + ". @" + issue.actor().login() + " asked on issue #" + issue.number() + " \"" + GitHubRun.title(issue.title(), 200)
                + "\":\n\n" + Reply.cut(issue.request(), GitHubRun.maxRequest())
                + (issue.request().equals(issue.issueBody()) ? "" : "\n\nThe issue's text:\n\n" + Reply.cut(issue.issueBody(), GitHubRun.maxRequest()))
                + "\n\nChange the files as asked. Do not commit, push or switch branches: when you finish, Lathe commits your changes, pushes the branch and"
                + " opens a pull request. End with a short summary of what you did; it is posted as the reply.";
        GitHubRun.Ran ran = run.session(settings, prompt, Optional.empty());
        List<String> files;
        List<String> commits;
        Optional<String> pr = Optional.empty();
        Optional<String> problem = ran.exit() == ExitCode.FINISHED ? Optional.empty() : Optional.of("the session ended with exit code " + ran.exit() + " (see the run's log)");
        try {
            if (!git.onBranch(branch)) return failed(comment, "the session left branch " + branch + "; nothing was pushed");
            git.commitAll("Lathe: " + GitHubRun.title(issue.title(), 60) + " (#" + issue.number() + ")\n\nAsked by @" + issue.actor().login() + " on #"
                    + issue.number() + ".\n\n" + GitHubRun.coAuthor(issue.actor()));
            files = git.filesSince(start);
            commits = git.commitsSince(start);
            if (!commits.isEmpty()) {
                if (branch.equals(issue.defaultBranch())) return failed(comment, "the branch would be the default branch; nothing was pushed");
                git.push(remote, branch, run.context().token());
                pr = Optional.of(run.rest().openPullRequest("Lathe: " + GitHubRun.title(issue.title(), 200) + " (#" + issue.number() + ")", branch,
                        issue.defaultBranch(), run.reply().safe("Closes #" + issue.number() + ".\n\nAsked by @" + issue.actor().login() + ". "
                                + "Lathe's answer:\n\n" + Reply.cut(ran.answer(), 20_000))));
            }
        } catch (Checkout.GitFailure e) {
            return failed(comment, e.getMessage());
        }
        run.rest().updateComment(comment.id(), run.reply().done(new Reply.Outcome(ran.answer(), files, commits, pr,
                commits.isEmpty() ? Optional.empty() : Optional.of(branch), Optional.empty(), problem, ran.costMicros(), ran.tokens())));
        return ran.exit();
    }

    private int failed(GitHubRest.Comment comment, String why) throws GitHubRest.Failure {
        run.log().println("lathe: " + why);
        run.rest().updateComment(comment.id(), run.reply().safe("**Lathe could not finish:** " + why
                + run.context().runLink().map(l -> " ([run](" + l + "))").orElse("")));
        return ExitCode.MODEL_ERROR;
    }
}
