package dev.lathe.app;

import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.WorktreeEnd;
import dev.lathe.protocol.api.WorktreeInfo;
import dev.lathe.protocol.api.WorktreeMerge;
import dev.lathe.protocol.api.WorktreeRemoveRequest;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionWorktree;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.server.LatheServer;
import dev.lathe.tui.TerminalUi;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lathe worktree list | merge NAME | remove NAME [--force]} (DESIGN §19): the git worktrees sessions of a
 * repository run in. Asks the daemon when one runs, else does the work in this process; never starts a daemon.
 */
@Command(name = "worktree", mixinStandardHelpOptions = true, description = "Sessions' git worktrees: list, merge, remove.",
        subcommands = {WorktreeCommand.ListTrees.class, WorktreeCommand.Merge.class, WorktreeCommand.Remove.class})
final class WorktreeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /** Runs {@code action} against the repository's server (the daemon, or this process), a refusal printed as the user's to fix. */
    static int with(Optional<Path> dir, CommandSpec spec, Function<LatheApi, Integer> action) {
        String directory = Folders.project(dir);
        try (LatheApi api = Backends.runningOrInProcess(directory)) {
            return action.apply(api);
        } catch (LatheServer.StartupException e) {
            throw new UsageError(e.getMessage());
        } catch (LatheException e) {
            spec.commandLine().getErr().println("lathe: " + e.getMessage());
            return e instanceof LatheException.Failed || e instanceof LatheException.Unavailable ? ExitCode.MODEL_ERROR : ExitCode.USAGE;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The repository's worktrees: branch, ahead/behind, changes, session.")
    static final class ListTrees implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "the repository (default: current folder)")
        Optional<Path> dir = Optional.empty();

        @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json: one array of worktree objects")
        OutputFormat format = OutputFormat.text;

        @Override
        public Integer call() {
            return with(dir, spec, api -> {
                PrintWriter out = spec.commandLine().getOut();
                List<WorktreeInfo> trees = api.worktrees(Folders.project(dir));
                if (format == OutputFormat.json) {
                    out.println(TerminalOutput.json(WireJson.write(trees)));
                } else if (trees.isEmpty()) {
                    spec.commandLine().getErr().println("lathe: no worktrees in " + Folders.project(dir));
                } else {
                    out.printf("%-24s %-30s %-6s %-6s %-6s %s%n", "NAME", "BRANCH", "AHEAD", "BEHIND", "DIRTY", "SESSION");
                    for (WorktreeInfo t : trees) {
                        out.printf("%-24s %-30s %-6d %-6d %-6s %s%n", t.name(), t.branch(), t.ahead(), t.behind(), t.dirty() ? "yes" : "no",
                                t.session().orElse("-"));
                    }
                }
                out.flush();
                return ExitCode.FINISHED;
            });
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Merge a worktree's branch into the main checkout's current branch (its uncommitted changes committed first).")
    static final class Merge implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "the repository (default: current folder)")
        Optional<Path> dir = Optional.empty();

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return with(dir, spec, api -> {
                WorktreeMerge m = api.mergeWorktree(Folders.project(dir), name);
                m.committed().ifPresent(c -> spec.commandLine().getOut().println("committed the worktree's changes on " + m.branch() + " as "
                        + c.substring(0, Math.min(12, c.length()))));
                spec.commandLine().getOut().println("merged " + m.branch() + " into " + m.into());
                spec.commandLine().getOut().flush();
                return ExitCode.FINISHED;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a worktree and its branch (refused when it holds uncommitted changes or unmerged commits, unless --force).")
    static final class Remove implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", description = "the repository (default: current folder)")
        Optional<Path> dir = Optional.empty();

        @Option(names = "--force", description = "remove it even with uncommitted changes or unmerged commits")
        boolean force;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return with(dir, spec, api -> {
                WorktreeInfo t = api.removeWorktree(new WorktreeRemoveRequest(Folders.project(dir), name,
                        force ? WorktreeRemoveRequest.Force.force : WorktreeRemoveRequest.Force.safe));
                spec.commandLine().getOut().println("removed worktree " + t.name() + " and branch " + t.branch());
                spec.commandLine().getOut().flush();
                return ExitCode.FINISHED;
            });
        }
    }

    /**
     * Bare {@code lathe --worktree [NAME]}: the terminal UI on a new session in a new worktree of the folder's
     * repository; when it closes, the worktree goes if unchanged (with the session, when nothing was said in it), else
     * its path and branch are printed.
     */
    static int console(String directory, Optional<String> name, TerminalUi.Start start) throws InterruptedException {
        PrintStream err = TerminalOutput.errStream();
        Session session;
        try (LatheApi api = Backends.startedDaemon(directory, err).api()) {
            // the session first, then its worktree (server side): a WorktreeCreate hook is told the session, and the session
            // records the worktree whoever made it
            session = api.createSession(CreateSessionRequest.in(directory).withModel(start.model()).withAgent(start.agent())
                    .inNewWorktree(name.filter(n -> !n.isEmpty())));
        }
        SessionWorktree tree = session.worktree().orElseThrow();
        try {
            return AttachCommand.console(Optional.empty(), Optional.of(session.id()), session.directory(),
                    new TerminalUi.Start(Optional.of(session.id()), TerminalUi.Attach.NEW_IN_WORKTREE, start.model(), start.agent(), start.prompt(),
                            start.approvals()));
        } finally {
            // the UI left the resume hint to this: only now is it known whether the worktree and the session stay
            String resume = "Resume with: lathe attach --session " + session.id().value();
            try (LatheApi api = Backends.startedDaemon(directory, err).api()) {
                WorktreeEnd end = api.endWorktree(tree.mainCheckout(), tree.name());
                if (end.ending() == WorktreeEnd.Ending.kept) {
                    // no branch: a WorktreeCreate hook made it (another version control system's checkout)
                    err.println(end.branch().isEmpty()
                            ? "lathe: worktree kept: " + end.path() + " (made by a WorktreeCreate hook); lathe worktree remove " + end.name()
                                    + " runs the WorktreeRemove hooks"
                            : "lathe: worktree kept: " + end.path() + " (branch " + end.branch() + "); lathe worktree merge " + end.name()
                                    + " merges it, lathe worktree remove " + end.name() + " drops it");
                    err.println(resume);
                } else if (api.messages(session.id()).isEmpty()) {
                    // nothing was said in it: the session made ahead for the worktree goes with it, as a UI's unused new session is never made
                    api.deleteSession(session.id());
                    err.println("lathe: worktree " + end.name() + " had no changes: removed with its branch " + end.branch() + ", and the empty session with it");
                } else {
                    // the conversation stays; its next prompt makes the worktree again (MissingWorktrees), so resuming works
                    err.println("lathe: worktree " + end.name() + " had no changes: removed with its branch " + end.branch()
                            + "; resuming the session makes it again");
                    err.println(resume);
                }
            } catch (LatheException e) {
                err.println("lathe: worktree " + tree.name() + " left at " + session.directory() + ": " + e.getMessage());
                err.println(resume);
            }
        }
    }
}
