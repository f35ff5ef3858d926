package dev.lathe.run.github;

import dev.lathe.run.console.ExitCode;
import java.util.List;
import java.util.Optional;

/**
 * {@code workflow_dispatch} with a {@code prompt}: the prompt runs on the checkout; the answer goes to the job's log and
 * its step summary ({@code GITHUB_STEP_SUMMARY}), never to a comment, and nothing is pushed.
 */
final class DispatchWork implements Work {
    private final GitHubRun run;
    private final GitHubSettings settings;
    private final GitHubEvent.Dispatch dispatch;

    DispatchWork(GitHubRun run, GitHubSettings settings, GitHubEvent.Dispatch dispatch) {
        this.run = run;
        this.settings = settings;
        this.dispatch = dispatch;
    }

    @Override
    public Handoff gate() { return Handoff.NONE; }

    @Override
    public AgentResult agent(Handoff handoff) throws InterruptedException {
        String start = run.headOrEmpty();
        GitHubRun.Ran ran = run.session(settings, GitHubText.prompt("You are running in a GitHub Actions job of the repository " + run.context().repository()
                + ", checked out in the current folder. @" + dispatch.actor().login() + " started it by hand with a request.",
                List.of(new GitHubText.Piece(dispatch.actor().login(), "workflow_dispatch prompt", dispatch.request()))), Optional.empty());
        run.log().println(ran.answer());
        run.summary("## Lathe\n\n**Asked by @" + GitHubRun.title(dispatch.actor().login(), 100) + ":** " + Reply.quiet(GitHubRun.title(dispatch.request(), 300)) + "\n\n"
                + run.reply().done(new Reply.Outcome(ran.answer(), java.util.List.of(), java.util.List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                        ran.exit() == ExitCode.FINISHED ? Optional.empty() : Optional.of("the session ended with exit code " + ran.exit()), ran.costMicros(),
                        ran.tokens())));
        return new AgentResult(ran.exit(), start, start, ran.answer(), ran.costMicros(), ran.tokens(), "", "");
    }

    @Override
    public int publish(Handoff handoff, AgentResult result) { return result.exit(); }
}
