package dev.lathe.app;

import dev.lathe.client.LatheClientException;
import dev.lathe.protocol.api.Delivery;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.WorktreeEnd;
import dev.lathe.protocol.session.SessionWorktree;
import dev.lathe.run.console.ConsoleRun;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.GoalLoop;
import dev.lathe.run.console.HeadlessRun;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.run.console.PipedStdin;
import dev.lathe.run.console.RunOptions;
import dev.lathe.run.console.ServerLost;
import dev.lathe.server.LatheServer;
import dev.lathe.term.GoalCheck;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lathe run [options] MESSAGE...}: one prompt, headless. */
@Command(name = "run", description = "Send one prompt, stream the answer, exit.", mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "project folder (default: current folder)")
    Optional<Path> dir = Optional.empty();

    @Option(names = "--model", paramLabel = "PROVIDER/MODEL", description = "the model that answers, e.g. anthropic/claude-sonnet-4-5 (default: the config's model)")
    Optional<String> model = Optional.empty();

    @Option(names = "--agent", paramLabel = "NAME", description = "the agent that answers: build (the default), plan, or one of the config's or .lathe/agents")
    Optional<String> agent = Optional.empty();

    @Option(names = "--session", paramLabel = "ID", description = "continue this session")
    Optional<String> session = Optional.empty();

    @Option(names = "--continue", description = "continue the latest session of this folder")
    boolean continueLatest;

    @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json: one event per line")
    OutputFormat format = OutputFormat.text;

    @Option(names = "--allow-all", description = "answer every permission ask with allow-once (default: reject)")
    boolean allowAll;

    @Option(names = "--deny-asks", description = "deny every permission ask, as unattended work does: the model reads the denial and goes on,"
            + " the run exits 0 when the turn finishes and names each denied call on stderr (default: reject, which stops the turn: exit 3)")
    boolean denyAsks;

    @Option(names = "--auto", description = "auto-approval: the classifier your own config names (permission.auto) answers what the rules leave"
            + " to ask; deny rules and the built-in hardDeny list still decide first (docs/auto-approval.md)")
    boolean auto;

    @Option(names = "--attach", paramLabel = "URL", description = "use this server instead of the daemon or an in-process one")
    Optional<URI> attach = Optional.empty();

    @Option(names = "--standalone", description = "run in this process, without the background server (the default when CI is set)")
    boolean standalone;

    @Option(names = "--local-only", description = "connect only to loopback and the providers whose baseUrl your config writes; runs in this process")
    boolean localOnly;

    @Option(names = {"-w", "--worktree"}, arity = "0..1", fallbackValue = "", paramLabel = "NAME",
            description = "run in a new git worktree on branch lathe/NAME, in REPO/.lathe/worktrees/NAME (a name is generated when none is given:"
                    + " write -w -- MESSAGE, as -w takes the next word as NAME)")
    Optional<String> worktree = Optional.empty();

    @Option(names = "--repo", paramLabel = "GIT_URL",
            description = "with --attach: a task for a team server: a node with room clones GIT_URL, runs the session in a worktree of its own"
                    + " on branch lathe/NAME and pushes the branch after each turn")
    Optional<String> repo = Optional.empty();

    @Option(names = "--base", paramLabel = "REF", description = "with --repo: the branch, tag or commit the task starts from (default: the repository's default branch)")
    Optional<String> base = Optional.empty();

    @Option(names = "--deliver", paramLabel = "queue|steer|interrupt",
            description = "with --session or --continue, when the session is busy: queue (default) runs the message after the running turn,"
                    + " steer adds it to the running turn at its next step, interrupt stops the turn and runs it")
    Optional<Delivery> deliver = Optional.empty();

    @Option(names = "--until", paramLabel = "CMD",
            description = "a goal loop: after each turn run CMD in the session's folder (as bash: its permission rules and sandbox); stop with exit 0"
                    + " when it exits 0, otherwise send its output back as the next prompt (exit 1 when --max-turns turns pass first)")
    Optional<String> until = Optional.empty();

    @Option(names = "--max-turns", paramLabel = "N", description = "with --until: the turns the loop takes at most (default " + GoalCheck.DEFAULT_MAX_TURNS + ")")
    Optional<Integer> maxTurns = Optional.empty();

    @Parameters(paramLabel = "MESSAGE", arity = "0..*",
            description = "the prompt (its words are joined; text piped to standard input is added); a MESSAGE that starts with / and names a command runs it, e.g. \"/undo\"")
    List<String> message = List.of();

    @Override
    public Integer call() throws Exception {
        Optional<String> piped = PipedStdin.read();
        // -w takes an optional NAME, so lathe run -w "try the other approach" hands it the message; a name never holds a
        // space (WorktreeNames), so such a value is the message's start and the name is generated (docs/worktrees.md)
        if (worktree.filter(n -> n.chars().anyMatch(Character::isWhitespace)).isPresent()) {
            message = java.util.stream.Stream.concat(java.util.stream.Stream.of(worktree.get()), message.stream()).toList();
            worktree = Optional.of("");
        }
        String text = String.join(" ", message).strip();
        if (text.isEmpty() && piped.isEmpty()) {
            // -w takes an optional NAME: lathe run -w fix read the one-word message as the worktree's name
            if (worktree.filter(n -> !n.isEmpty()).isPresent()) {
                TerminalOutput.err().println("lathe: run needs a MESSAGE; --worktree took \"" + worktree.get() + "\" as the worktree's name: write lathe run -w -- MESSAGE"
                        + " (a generated name) or lathe run -w NAME MESSAGE");
                return ExitCode.USAGE;
            }
            TerminalOutput.err().println("lathe: run needs a MESSAGE, e.g. lathe run \"explain this project\" (or text piped to its standard input)");
            return ExitCode.USAGE;
        }
        if (session.isPresent() && continueLatest) {
            TerminalOutput.err().println("lathe: use either --session or --continue, not both");
            return ExitCode.USAGE;
        }
        if (allowAll && denyAsks) {
            TerminalOutput.err().println("lathe: use either --allow-all (allow every ask) or --deny-asks (deny every ask), not both");
            return ExitCode.USAGE;
        }
        if (allowAll && auto) {
            TerminalOutput.err().println("lathe: use either --allow-all (allow every ask) or --auto (a classifier answers asks), not both");
            return ExitCode.USAGE;
        }
        if (standalone && attach.isPresent()) {
            TerminalOutput.err().println("lathe: use either --standalone or --attach, not both");
            return ExitCode.USAGE;
        }
        if (localOnly && attach.isPresent()) {
            TerminalOutput.err().println("lathe: --local-only runs Lathe in this process, so that nothing else shares it; it cannot use --attach");
            return ExitCode.USAGE;
        }
        if (worktree.isPresent() && (session.isPresent() || continueLatest)) {
            TerminalOutput.err().println("lathe: --worktree starts a new session in a new worktree; it cannot be used with --session or --continue");
            return ExitCode.USAGE;
        }
        if (repo.isPresent() || base.isPresent()) {
            Optional<String> wrong = taskUsage();
            if (wrong.isPresent()) {
                TerminalOutput.err().println("lathe: " + wrong.get());
                return ExitCode.USAGE;
            }
        }
        Optional<String> wrongGoal = goalUsage();
        if (wrongGoal.isPresent()) {
            TerminalOutput.err().println("lathe: " + wrongGoal.get());
            return ExitCode.USAGE;
        }
        Path directory = dir.orElse(Path.of("")).toAbsolutePath().normalize();
        // with --attach, --dir names the server's folder (a container's /work/app need not exist here), passed through as
        // lathe attach passes it; the server answers for it (issue 82)
        if (!(attach.isPresent() && dir.isPresent()) && !Files.isDirectory(directory)) {
            TerminalOutput.err().println("lathe: not a folder: " + directory);
            return ExitCode.USAGE;
        }
        // a goal loop's turns are unattended (DESIGN §26): their asks follow permission.unattended, denied by default
        var options = new RunOptions(directory.toString(), text, piped, model, agent, session, continueLatest, format, allowAll).delivered(deliver)
                .answering(denyAsks ? RunOptions.Unattended.DENY_ASKS : until.isPresent() ? RunOptions.Unattended.POLICY : RunOptions.Unattended.NO)
                .approvedBy(auto ? RunOptions.Approver.CLASSIFIER : RunOptions.Approver.PERSON);
        Backends.RunBackend backend;
        try {
            backend = backend(directory);
        } catch (LatheServer.StartupException e) {
            TerminalOutput.err().println("lathe: " + e.getMessage());
            return ExitCode.USAGE;
        }
        // no escape sequence or bidi override from the answer, a file name or an error reaches a terminal raw; text piped
        // or redirected stays exact, JSON's controls are JSON escapes (docs/reliability.md, the terminal; TerminalOutput)
        PrintStream err = TerminalOutput.errStream();
        PrintStream out = TerminalOutput.answer(format);
        // a damaged database moved aside at the server's start (or this process's) is said once, by the first client
        if (attach.isEmpty()) LatheServer.takeStorageNotices(Backends.env()).forEach(n -> err.println("lathe: warning: " + n));
        OpenCodeNotice.print(err, directory);
        if (repo.isPresent()) {
            options = options.inTask(repo.get(), base, worktree.filter(n -> !n.isEmpty()));
        } else if (worktree.isPresent()) {
            options = options.inNewWorktree(worktree.filter(n -> !n.isEmpty()));
        }
        try (LatheApi api = backend.api()) {
            ConsoleRun run = until.isPresent() ? new GoalLoop(api, options, new GoalLoop.Goal(until.get(), maxTurns.orElse(GoalCheck.DEFAULT_MAX_TURNS)), out, err)
                    : new HeadlessRun(api, options, out, err);
            // Ctrl-C aborts the turn wherever it runs; a closed terminal (SIGHUP) or SIGTERM ends only this client, and a
            // turn in the daemon goes on (DESIGN §3); in process it ends with the process, as nothing could carry it on
            RunSignals.install(run::interrupt);
            int code = ExitCode.USAGE;
            boolean lost = false;
            try {
                code = run.run();
                return code;
            } catch (ServerLost e) {
                // in process there is no server to lose: an I/O failure of the core's own is said as it is
                lost = true;
                err.println(backend.place() == Backends.RunPlace.IN_PROCESS ? "lathe: " + e.getCause().getMessage() : LostServer.duringTurn(e, attach, Backends.daemon()));
                return code = ExitCode.MODEL_ERROR;
            } catch (LatheClientException e) {
                if (run.started().isPresent()) throw e;
                lost = true;
                err.println(LostServer.beforeSession(e, attach));
                return code = ExitCode.MODEL_ERROR;
            } finally {
                if (code != ExitCode.FINISHED && run.started().isEmpty()) Backends.stopIfStartedInVain(backend);
                // a task's branch lives on in its repository (pushed after each turn): say where, and how to go on
                if (repo.isPresent()) run.started().ifPresent(s -> s.worktree().ifPresent(t -> err.println("lathe: task " + s.id().value() + " on branch "
                        + t.branch() + " of " + repo.get() + "; lathe run --attach " + attach.orElseThrow() + " --session " + s.id().value() + " MESSAGE goes on")));
                // the session's new worktree, whoever made it (git, or a WorktreeCreate hook), ends with the run
                if (worktree.isPresent() && repo.isEmpty() && !lost) run.started().ifPresent(s -> s.worktree().ifPresent(t -> endWorktree(api, t, s.directory(), err)));
            }
        }
    }

    /** A worktree without changes goes with its branch; one with changes stays, and the user is told where (DESIGN §18). */
    private static void endWorktree(LatheApi api, SessionWorktree tree, String path, PrintStream err) {
        try {
            WorktreeEnd end = api.endWorktree(tree.mainCheckout(), tree.name());
            if (end.ending() == WorktreeEnd.Ending.kept) {
                if (end.branch().isEmpty()) {
                    // a WorktreeCreate hook made it: Lathe cannot tell its changes, and only its WorktreeRemove hooks remove it
                    err.println("lathe: worktree kept: " + end.path() + " (made by a WorktreeCreate hook); lathe worktree remove " + end.name()
                            + " runs the WorktreeRemove hooks");
                } else {
                    err.println("lathe: worktree kept: " + end.path() + " (branch " + end.branch() + "); lathe worktree merge " + end.name()
                            + " merges it, lathe worktree remove " + end.name() + " drops it");
                }
            }
        } catch (LatheException e) {
            err.println("lathe: worktree " + tree.name() + " left at " + path + (tree.branch().isEmpty() ? "" : " (branch " + tree.branch() + ")") + ": "
                    + e.getMessage());
        }
    }

    /** What is wrong with {@code --until} / {@code --max-turns} as given, if anything. */
    private Optional<String> goalUsage() {
        if (until.isEmpty()) return maxTurns.map(_ -> "--max-turns bounds a goal loop: give --until CMD too, e.g. lathe run --until \"mvn -q test\" --max-turns 5 MESSAGE");
        if (until.get().isBlank()) return Optional.of("--until needs the check command, e.g. --until \"npm test\"");
        if (maxTurns.filter(n -> n < 1).isPresent()) return Optional.of("--max-turns must be 1 or more, not " + maxTurns.get());
        // a task's session moves between team nodes, each with its own checkout: no one place to run the check in
        if (repo.isPresent()) return Optional.of("--until runs its check in the session's folder on this server; a --repo task has none here");
        return Optional.empty();
    }

    /** What is wrong with {@code --repo} / {@code --base} as given, if anything. */
    private Optional<String> taskUsage() {
        if (repo.isEmpty()) return Optional.of("--base names where a --repo task starts: give --repo GIT_URL too");
        if (attach.isEmpty()) {
            return Optional.of("--repo queues a task on a team server: add --attach URL of one of its nodes (lathe serve --store postgresql://...),"
                    + " e.g. lathe run --attach http://node1:4096 --repo " + repo.get() + " MESSAGE; to work in a repository on this machine, use --dir REPO");
        }
        if (session.isPresent() || continueLatest) {
            return Optional.of("--repo starts a new task; to go on with one, use --attach URL --session ID (any node checks its branch out)");
        }
        return Optional.empty();
    }

    private Backends.RunBackend backend(Path directory) {
        // local-only: the core in this process under LATHE_NETWORK=local, the whole process held to it (decision 120)
        if (localOnly) return Backends.localOnly();
        if (attach.isPresent()) return new Backends.RunBackend(Backends.remote(attach.get(), directory.toString()).api(), Backends.RunPlace.DAEMON);
        return Backends.forRun(directory.toString(), standalone ? Backends.RunPlace.IN_PROCESS : Backends.RunPlace.DAEMON, TerminalOutput.errStream());
    }
}
