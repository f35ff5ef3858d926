package dev.lathe.tui.github;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.tui.console.ExitCode;
import dev.lathe.tui.console.ReviewReport;
import dev.lathe.tui.view.Footer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Review mode ({@code "github": {"reviewOnOpen": true}}): the read-only {@code review} agent runs the built-in
 * {@code /review --base BASE} at the PR's head, and its findings become one PR review: a finding on a line the diff
 * shows is an inline comment there, any other is listed in the review's body.
 */
final class ReviewWork {
    private static final String DISPLACED = "lathe:review";

    private final GitHubRun run;
    private final GitHubSettings settings;
    private final GitHubEvent.PullRequestOpened pr;

    ReviewWork(GitHubRun run, GitHubSettings settings, GitHubEvent.PullRequestOpened pr) {
        this.run = run;
        this.settings = settings;
        this.pr = pr;
    }

    int run() throws GitHubRest.Failure, InterruptedException {
        Checkout git = run.checkout();
        if (!pr.baseSha().matches("[0-9a-f]{40}") || !pr.headSha().matches("[0-9a-f]{40}")) {
            run.log().println("lathe: the pull request's base or head is not a commit id: nothing done");
            return ExitCode.USAGE;
        }
        DiffLines lines;
        try {
            if (!git.has(pr.headSha())) git.checkoutPullHead(git.remoteUrl(), pr.number());
            git.detach(pr.headSha());
            lines = DiffLines.of(git.diff(pr.baseSha(), pr.headSha()));
        } catch (Checkout.GitFailure e) {
            run.log().println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        String command;
        try {
            command = run.api().commands(git.dir().toString()).stream().anyMatch(c -> c.name().equals(DISPLACED)) ? DISPLACED : "review";
        } catch (LatheException e) {
            command = "review";
        }
        GitHubRun.Ran ran = run.session(settings, "/" + command + " --base " + pr.baseSha(), Optional.of("review"));
        Optional<ReviewReport> report = ReviewReport.of(ran.history(), git.dir());
        if (report.isEmpty()) {
            run.log().println("lathe: the review made no report (exit " + ran.exit() + "): nothing posted");
            return ran.exit() == ExitCode.FINISHED ? ExitCode.MODEL_ERROR : ran.exit();
        }
        List<GitHubRest.ReviewComment> inline = new ArrayList<>();
        StringBuilder body = new StringBuilder(report.get().summary().strip()).append("\n");
        List<String> elsewhere = new ArrayList<>();
        for (ReviewReport.Finding f : report.get().findings()) {
            String text = "**[P" + f.priority() + "] " + GitHubRun.title(f.title(), 200) + "**\n\n" + Reply.cut(f.body(), 4_000);
            Optional<Integer> line = f.endLine().or(f::line);
            if (line.isPresent() && lines.contains(f.file(), line.get())) {
                inline.add(new GitHubRest.ReviewComment(f.file(), line.get(), run.reply().safe(text)));
            } else {
                elsewhere.add("- " + text.replace("\n\n", " — ") + (f.file().isEmpty() ? "" : " (`" + f.file().replace("`", "'") + f.line().map(l -> ":" + l).orElse("") + "`)"));
            }
        }
        if (!elsewhere.isEmpty()) body.append("\nFindings outside the diff's lines:\n").append(String.join("\n", elsewhere)).append("\n");
        body.append("\n").append(report.get().findings().size()).append(" findings · cost ").append(Footer.dollars(ran.costMicros()))
                .append(run.context().runLink().map(l -> " · [run](" + l + ")").orElse(""));
        run.rest().review(pr.number(), pr.headSha(), run.reply().safe(body.toString()), inline);
        return ExitCode.FINISHED;
    }
}
