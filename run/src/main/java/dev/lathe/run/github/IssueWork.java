package dev.lathe.run.github;

import dev.lathe.run.console.ExitCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An issue's request: the work on a new branch {@code lathe/issue-N} from the checked-out commit, pushed (never forced)
 * and opened as a pull request into the default branch, and the progress comment replaced by what was done. The
 * branch's name is made of the issue's number only: nothing of its title reaches a git argument.
 */
final class IssueWork implements Work {
    private final GitHubRun run;
    private final GitHubSettings settings;
    private final GitHubEvent.IssueRequest issue;

    IssueWork(GitHubRun run, GitHubSettings settings, GitHubEvent.IssueRequest issue) {
        this.run = run;
        this.settings = settings;
        this.issue = issue;
    }

    private String branch() { return "lathe/issue-" + issue.number(); }

    @Override
    public Handoff gate() throws GitHubRest.Failure {
        GitHubRest.Comment comment = run.rest().comment(issue.number(), run.reply().working(issue.actor().login()));
        return new Handoff(comment.id(), "", "", branch(), branch(), "", issue.defaultBranch());
    }

    @Override
    public AgentResult agent(Handoff handoff) throws InterruptedException {
        String start = run.headOrEmpty();
        try {
            run.checkout().branchHere(handoff.branch());
        } catch (Checkout.GitFailure e) {
            return run.refused(start, GitHubRun.Ran.NONE, e.getMessage());
        }
        var pieces = new ArrayList<GitHubText.Piece>();
        boolean commented = !issue.request().equals(issue.issueBody());
        if (commented) pieces.add(new GitHubText.Piece(issue.actor().login(), "comment on issue #" + issue.number(), issue.request()));
        pieces.add(new GitHubText.Piece(issue.issueAuthor(), "issue #" + issue.number() + ", its title and body",
                GitHubRun.title(issue.title(), 200) + "\n\n" + issue.issueBody()));
        String prompt = GitHubText.prompt("You are working in a GitHub Actions job on the repository " + run.context().repository()
                + ", checked out in the current folder on the new branch " + handoff.branch() + ". @" + issue.actor().login() + " asked for a change "
                + (commented ? "in a comment on issue #" + issue.number() : "in issue #" + issue.number()) + ". Change the files as asked."
                + " Do not commit, push or switch branches: when you finish, Lathe commits your changes, pushes the branch and opens a pull request."
                + " End with a short summary of what you did; it is posted as the reply.", pieces);
        GitHubRun.Ran ran = run.session(settings, prompt, Optional.empty());
        return run.finish(handoff, start, ran, "Lathe: " + GitHubRun.title(issue.title(), 60) + " (#" + issue.number() + ")\n\nAsked by @"
                + issue.actor().login() + " on #" + issue.number() + ".\n\n" + GitHubRun.coAuthor(issue.actor()), "");
    }

    @Override
    public int publish(Handoff handoff, AgentResult result) throws GitHubRest.Failure {
        if (result.refused().isPresent()) return run.failed(handoff, result.refused().get());
        Checkout git = run.checkout();
        String branch = branch();
        List<String> files;
        List<String> commits;
        Optional<String> pr = Optional.empty();
        Optional<String> problem = result.exit() == ExitCode.FINISHED ? Optional.empty()
                : Optional.of("the session ended with exit code " + result.exit() + " (see the run's log)");
        try {
            files = git.filesSince(result.start());
            commits = git.commitsSince(result.start());
            if (!commits.isEmpty()) {
                if (branch.equals(issue.defaultBranch())) return run.failed(handoff, "the branch would be the default branch; nothing was pushed");
                git.push(run.remote(), branch, run.context().token());
                pr = Optional.of(run.rest().openPullRequest("Lathe: " + GitHubRun.title(issue.title(), 200) + " (#" + issue.number() + ")", branch,
                        issue.defaultBranch(), run.reply().safe("Closes #" + issue.number() + ".\n\nAsked by @" + issue.actor().login() + ". "
                                + "Lathe's answer:\n\n" + Reply.quiet(Reply.cut(result.answer(), 20_000)))));
            }
        } catch (Checkout.GitFailure e) {
            return run.failed(handoff, e.getMessage());
        }
        run.rest().updateComment(handoff.comment(), run.reply().done(new Reply.Outcome(result.answer(), files, commits, pr,
                commits.isEmpty() ? Optional.empty() : Optional.of(branch), Optional.empty(), problem, result.costMicros(), result.tokens())));
        return result.exit();
    }
}
