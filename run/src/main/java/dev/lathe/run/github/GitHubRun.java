package dev.lathe.run.github;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.HeadlessRun;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.run.console.ReviewReport;
import dev.lathe.run.console.RunOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code lathe github run} once the event is read and found to be about the job's own repository (DESIGN §18
 * "GitHub"): {@link #run} decides whether to act (the trigger, the actor's permission asked of the API, bots by name)
 * before any comment or model request, then does what the event asks: an issue's work on branch {@code lathe/issue-N}
 * with a pull request, a same-repository PR's work as a commit on its branch, a fork's as a patch in the comment, a
 * review of an opened PR. The session runs through {@link HeadlessRun} like {@code lathe run}'s, its answers allowed
 * (the workflow's permissions are the limit), and is exported for {@code lathe import}.
 */
public final class GitHubRun {
    /** The permissions that may start a run: those that could push the change themselves. */
    static final Set<String> WRITERS = Set.of("admin", "maintain", "write");
    /** The most of a request or issue text the prompt carries. */
    private static final int MAX_REQUEST = 20_000;

    private final LatheApi api;
    private final ActionsContext context;
    private final GitHubEvent event;
    private final Checkout checkout;
    private final GitHubRest rest;
    private final PrintStream log;
    private final Reply reply;
    private final JobFiles results;
    /** origin's URL, read before any session: what the session writes into {@code .git/config} never redirects a push. */
    private Optional<String> remote = Optional.empty();

    public GitHubRun(LatheApi api, ActionsContext context, GitHubEvent event, Checkout checkout, GitHubRest rest, PrintStream log) {
        this.api = api;
        this.results = new JobFiles(context, TokenMask.of(log, context.token()));
        this.context = context;
        this.event = event;
        this.checkout = checkout;
        this.rest = rest;
        // the model's answer is printed as it streams: the token is masked in it like in everything else
        this.log = TokenMask.of(log, context.token());
        this.reply = new Reply(context.token(), context.runLink());
    }

    /** Whether the actor may start a run: a listed bot, or a person with write, maintain or admin permission. */
    boolean permitted(GitHubSettings settings) throws GitHubRest.Failure {
        GitHubEvent.Actor actor = event.actor();
        if (actor.bot()) {
            if (settings.allows(actor.login())) return true;
            log.println("lathe: " + actor.login() + " is a bot not named in \"github\": {\"allowedBots\"}: nothing done");
            return false;
        }
        String permission = rest.permission(actor.login());
        if (WRITERS.contains(permission)) return true;
        log.println("lathe: @" + actor.login() + " has " + permission + " permission on " + context.repository() + "; a run needs write, maintain or admin: nothing done");
        return false;
    }

    /** Acts on the event in one process (gate, agent and publish in turn), or says on the log why not; answers the exit code. */
    public int run() throws InterruptedException { return run(GitHubPhase.ALL, Optional.empty()); }

    /**
     * Runs {@code phase} of the work: {@code handoff} is the gate's JSON for the agent and publish phases (the gate job's
     * output), empty otherwise. Answers the exit code.
     */
    public int run(GitHubPhase phase, Optional<String> handoffJson) throws InterruptedException {
        try {
            remote = Optional.of(checkout.remoteUrl());
        } catch (Checkout.GitFailure e) {
            remote = Optional.empty();
        }
        GitHubSettings settings;
        try {
            settings = GitHubSettings.of(api.config(checkout.dir().toString()));
        } catch (LatheException e) {
            log.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        switch (event) {
            case GitHubEvent.Ignored i -> {
                log.println("lathe: nothing to do for " + i.why());
                return gateSays(phase, Optional.empty());
            }
            case GitHubEvent.PullRequestOpened o when !settings.reviewOnOpen() -> {
                log.println("lathe: pull request opened; reviews on open are off (\"github\": {\"reviewOnOpen\": true} turns them on)");
                return gateSays(phase, Optional.empty());
            }
            default -> {}
        }
        if (event.triggerText().isPresent() && !settings.triggeredBy(event.triggerText().get())) {
            log.println("lathe: the text does not hold the trigger " + settings.trigger() + ": nothing done");
            return gateSays(phase, Optional.empty());
        }
        Work work = switch (event) {
            case GitHubEvent.IssueRequest issue -> new IssueWork(this, settings, issue);
            case GitHubEvent.PullRequestComment comment -> new PullRequestWork(this, settings, comment);
            case GitHubEvent.PullRequestOpened opened -> new ReviewWork(this, settings, opened);
            case GitHubEvent.Dispatch dispatch -> new DispatchWork(this, settings, dispatch);
            case GitHubEvent.Ignored i -> throw new IllegalStateException("ignored above");
        };
        try {
            // the agent has no token to ask with: the gate asked, and the workflow runs the agent only when it said so
            if (phase != GitHubPhase.AGENT && !permitted(settings)) return gateSays(phase, Optional.empty());
            Handoff handoff;
            if (phase == GitHubPhase.ALL || phase == GitHubPhase.GATE) {
                handoff = work.gate();
                if (phase == GitHubPhase.GATE) return gateSays(phase, Optional.of(handoff));
            } else {
                handoff = Handoff.of(handoffJson.orElseThrow(() -> new Handoff.Invalid("LATHE_HANDOFF (the gate job's output) is not set")));
            }
            if (phase == GitHubPhase.AGENT) return results.write(work.agent(handoff), checkout);
            if (phase == GitHubPhase.ALL) return work.publish(handoff, work.agent(handoff));
            if (work instanceof DispatchWork) return ExitCode.FINISHED;
            Optional<AgentResult> result = results.land(handoff, checkout);
            if (result.isEmpty()) return failed(handoff, "the agent's step left no result it could use (see the run's log)");
            return work.publish(handoff, result.get());
        } catch (GitHubRest.Failure e) {
            log.println("lathe: " + e.getMessage());
            return ExitCode.MODEL_ERROR;
        } catch (Handoff.Invalid e) {
            log.println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
    }

    /** The gate's outputs for the workflow ({@code act}, {@code ref}, {@code handoff}); nothing for the other phases. */
    private int gateSays(GitHubPhase phase, Optional<Handoff> handoff) {
        if (phase == GitHubPhase.GATE) {
            results.output("act", handoff.isPresent() ? "true" : "false");
            results.output("ref", handoff.map(Handoff::checkoutRef).orElse(""));
            results.output("handoff", handoff.map(Handoff::json).orElse(""));
        }
        return ExitCode.FINISHED;
    }

    /** The progress comment replaced by a failure, when there is one. */
    int failed(Handoff handoff, String why) throws GitHubRest.Failure {
        log.println("lathe: " + why);
        if (handoff.comment() > 0) {
            rest.updateComment(handoff.comment(), reply.safe("**Lathe could not finish:** " + why + context.runLink().map(l -> " ([run](" + l + "))").orElse("")));
        }
        return ExitCode.MODEL_ERROR;
    }

    /**
     * The common end of an agent's work: every change committed as the bot with {@code message}, and the work refused when
     * HEAD left {@code branch} (when one is named) or no longer descends from {@code start}.
     */
    AgentResult finish(Handoff handoff, String start, Ran ran, String message, String review) {
        try {
            if (!handoff.branch().isEmpty() && !checkout.onBranch(handoff.branch())) {
                return refused(start, ran, "the session left branch " + handoff.branch() + "; nothing was pushed");
            }
            if (!checkout.descendsFrom(start)) return refused(start, ran, "the session moved HEAD off the commit it started from; nothing was pushed");
            checkout.commitAll(message);
            return new AgentResult(ran.exit(), start, checkout.head(), ran.answer(), ran.costMicros(), ran.tokens(), "", review);
        } catch (Checkout.GitFailure e) {
            return refused(start, ran, e.getMessage());
        }
    }

    AgentResult refused(String start, Ran ran, String why) {
        return new AgentResult(ran.exit(), start.isEmpty() ? "0".repeat(40) : start, start.isEmpty() ? "0".repeat(40) : start, ran.answer(), ran.costMicros(),
                ran.tokens(), why, "");
    }

    /** HEAD, or empty in a repository without a commit. */
    String headOrEmpty() {
        try {
            return checkout.head();
        } catch (Checkout.GitFailure e) {
            return "0".repeat(40);
        }
    }

    /** origin's URL as it was before the session. */
    String remote() throws Checkout.GitFailure {
        return remote.orElseThrow(() -> new Checkout.GitFailure("the checkout has no remote origin to fetch from or push to"));
    }

    /** {@code markdown} appended to the job's step summary ({@code GITHUB_STEP_SUMMARY}), when the job has one. */
    void summary(String markdown) { results.summary(markdown); }

    /** A finished session: its exit code, final answer, cost and tokens; exported where the workflow uploads artifacts. */
    record Ran(int exit, Optional<SessionId> session, String answer, long costMicros, long tokens, List<MessageWithParts> history) {
        /** No session ran (the checkout could not be set up). */
        static final Ran NONE = new Ran(ExitCode.MODEL_ERROR, Optional.empty(), "", 0, 0, List.of());
    }

    Ran session(GitHubSettings settings, String prompt, Optional<String> agent) throws InterruptedException {
        var options = new RunOptions(checkout.dir().toString(), prompt, Optional.empty(), settings.model(), agent, Optional.empty(), false,
                OutputFormat.text, true);
        var run = new HeadlessRun(api, options, log, log);
        int exit = run.run();
        Optional<Session> session = run.started();
        if (session.isEmpty()) return new Ran(exit, Optional.empty(), "", 0, 0, List.of());
        List<MessageWithParts> history = api.messages(session.get().id());
        long cost = 0;
        long tokens = 0;
        for (MessageWithParts m : history) {
            if (m.info() instanceof AssistantMessage a) {
                cost += a.cost();
                tokens += a.usage().total();
            }
        }
        export(session.get().id());
        return new Ran(exit, Optional.of(session.get().id()), ReviewReport.finalText(history).orElse(""), cost, tokens, history);
    }

    /** The session as {@code lathe export} writes it, in {@code RUNNER_TEMP/lathe/} (the workflow uploads that folder). */
    private void export(SessionId id) {
        Path folder = context.artifactDir().map(Path::of).orElse(Path.of(System.getProperty("java.io.tmpdir"))).resolve("lathe");
        try {
            if (Files.isSymbolicLink(folder)) throw new IOException(folder + " is a link (made during the session), not a folder of the job's");
            Files.createDirectories(folder);
            Path file = folder.resolve(id.value() + ".json");
            // the artifact may be public: the token is masked as in the log, and a file or link the session planted
            // where the export goes is refused rather than followed or overwritten
            String export = WireJson.write(api.export(id));
            Files.writeString(file, context.token().isEmpty() ? export : export.replace(context.token(), "***"), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            log.println("lathe: session exported to " + file + " (lathe import FILE reads it)");
        } catch (IOException | LatheException e) {
            log.println("lathe: could not export the session: " + e.getMessage());
        }
    }

    ActionsContext context() { return context; }

    Checkout checkout() { return checkout; }

    GitHubRest rest() { return rest; }

    PrintStream log() { return log; }

    Reply reply() { return reply; }

    LatheApi api() { return api; }

    /** The {@code Co-authored-by} trailer naming the requester by their no-reply address. */
    static String coAuthor(GitHubEvent.Actor actor) {
        String login = actor.login().replaceAll("[^A-Za-z0-9\\[\\]-]", "");
        return "Co-authored-by: " + login + " <" + (actor.id() > 0 ? actor.id() + "+" : "") + login + "@users.noreply.github.com>";
    }

    /** A one-line commit or pull request title made of untrusted text: printable, at most {@code max} characters. */
    static String title(String text, int max) {
        String line = text.replaceAll("\\p{Cntrl}", " ").replaceAll("\\s+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }

    static int maxRequest() { return MAX_REQUEST; }
}
