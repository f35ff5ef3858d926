package dev.lathe.run.github;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.ReviewReport;
import dev.lathe.term.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Review mode ({@code "github": {"reviewOnOpen": true}}): a progress comment first; the read-only {@code review} agent
 * runs the built-in {@code /review --base BASE} at the PR's head; its findings become one PR review (a finding on a line
 * the diff shows is an inline comment there, any other is listed in the review's body) and the progress comment is
 * replaced by the summary, the count, the cost and the run's link.
 */
final class ReviewWork implements Work {
    private static final String DISPLACED = "lathe:review";

    private final GitHubRun run;
    private final GitHubSettings settings;
    private final GitHubEvent.PullRequestOpened pr;

    ReviewWork(GitHubRun run, GitHubSettings settings, GitHubEvent.PullRequestOpened pr) {
        this.run = run;
        this.settings = settings;
        this.pr = pr;
    }

    private boolean commitIds() { return pr.baseSha().matches("[0-9a-f]{40}") && pr.headSha().matches("[0-9a-f]{40}"); }

    @Override
    public Handoff gate() throws GitHubRest.Failure {
        if (!commitIds()) return Handoff.NONE;
        GitHubRest.Comment comment = run.rest().comment(pr.number(), run.reply().reviewing());
        return new Handoff(comment.id(), "refs/pull/" + pr.number() + "/head", pr.headSha(), "", "", "", "");
    }

    @Override
    public AgentResult agent(Handoff handoff) throws InterruptedException {
        Checkout git = run.checkout();
        if (!commitIds()) return run.refused("", GitHubRun.Ran.NONE, "the pull request's base or head is not a commit id");
        try {
            if (!git.has(pr.headSha())) git.checkoutPullHead(run.remote(), pr.number());
            git.detach(pr.headSha());
        } catch (Checkout.GitFailure e) {
            return run.refused(pr.headSha(), GitHubRun.Ran.NONE, e.getMessage());
        }
        String command;
        try {
            command = run.api().commands(git.dir().toString()).stream().anyMatch(c -> c.name().equals(DISPLACED)) ? DISPLACED : "review";
        } catch (LatheException e) {
            command = "review";
        }
        GitHubRun.Ran ran = run.session(settings, "/" + command + " --base " + pr.baseSha(), Optional.of("review"));
        Optional<ReviewReport> report = ReviewReport.of(ran.history(), git.dir());
        if (report.isEmpty()) return run.refused(pr.headSha(), ran, "the review made no report (exit " + ran.exit() + ")");
        // the review agent cannot write; whatever it did, nothing of the work tree is published
        return new AgentResult(ran.exit(), pr.headSha(), pr.headSha(), ran.answer(), ran.costMicros(), ran.tokens(), "", report.get().json());
    }

    @Override
    public int publish(Handoff handoff, AgentResult result) throws GitHubRest.Failure {
        if (result.refused().isPresent()) return run.failed(handoff, result.refused().get());
        Checkout git = run.checkout();
        Optional<ReviewReport> report = ReviewReport.parse(result.review(), git.dir());
        if (report.isEmpty()) return run.failed(handoff, "the review's report is not one Lathe wrote");
        DiffLines lines;
        try {
            if (!git.has(pr.headSha())) git.checkoutPullHead(run.remote(), pr.number());
            lines = DiffLines.of(git.diff(pr.baseSha(), pr.headSha()));
        } catch (Checkout.GitFailure e) {
            return run.failed(handoff, e.getMessage());
        }
        List<GitHubRest.ReviewComment> inline = new ArrayList<>();
        StringBuilder body = new StringBuilder(Reply.quiet(report.get().summary().strip())).append("\n");
        List<String> elsewhere = new ArrayList<>();
        for (ReviewReport.Finding f : report.get().findings()) {
            String text = Reply.quiet("**[P" + f.priority() + "] " + GitHubRun.title(f.title(), 200) + "**\n\n" + Reply.cut(f.body(), 4_000));
            Optional<Integer> line = f.endLine().or(f::line);
            if (line.isPresent() && lines.contains(f.file(), line.get())) {
                inline.add(new GitHubRest.ReviewComment(f.file(), line.get(), run.reply().safe(text)));
            } else {
                elsewhere.add("- " + text.replace("\n\n", " — ") + (f.file().isEmpty() ? "" : " (`" + f.file().replace("`", "'") + f.line().map(l -> ":" + l).orElse("") + "`)"));
            }
        }
        if (!elsewhere.isEmpty()) body.append("\nFindings outside the diff's lines:\n").append(String.join("\n", elsewhere)).append("\n");
        String tally = report.get().findings().size() + " findings · cost " + Money.cost(result.costMicros(), result.tokens());
        body.append("\n").append(tally).append(run.context().runLink().map(l -> " · [run](" + l + ")").orElse(""));
        run.rest().review(pr.number(), pr.headSha(), run.reply().safe(body.toString()), inline);
        if (handoff.comment() > 0) {
            String summary = Reply.quiet(Reply.cut(report.get().summary().strip(), 10_000));
            run.rest().updateComment(handoff.comment(), run.reply().safe("**Lathe reviewed this pull request** at `" + pr.headSha().substring(0, 12) + "`: "
                    + inline.size() + " inline comments, " + elsewhere.size() + " other findings (see the review).\n\n" + (summary.isEmpty() ? "" : summary + "\n\n")
                    + "---\n**Cost:** " + Money.cost(result.costMicros(), result.tokens()) + ", " + String.format(java.util.Locale.ROOT, "%,d", result.tokens()) + " tokens"
                    + run.context().runLink().map(l -> " · [run](" + l + ")").orElse("")));
        }
        return ExitCode.FINISHED;
    }
}
