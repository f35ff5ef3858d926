package dev.lathe.app;

import dev.lathe.client.ServerDiscovery;
import dev.lathe.protocol.Version;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.run.console.ExitCode;
import dev.lathe.tui.TerminalUi;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code lathe}: the command line entry point. */
@Command(name = "lathe", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = {"A provider-agnostic coding agent.", "",
                // one element per paragraph: picocli wraps each element to the terminal's width, and starts a new line
                // at the next, so text split over several elements broke mid-sentence (issue 42)
                "Without a command: lathe [DIR] [--model M] [--agent A] [--continue] [PROMPT...] — the terminal UI for DIR "
                        + "(default: the current folder), in the background server (started when none runs): on the session the "
                        + "terminal UI last showed there, or with a PROMPT a new session that starts with it (--continue: the "
                        + "folder's latest session, a lathe run's too). "
                        + "Closing the terminal never stops a running session; /help lists commands and keys."},
        subcommands = {RunCommand.class, AttachCommand.class, ServeCommand.class, StopCommand.class, SessionsCommand.class, AgentsCommand.class, StatsCommand.class,
                ExportCommand.class, DiffCommand.class, ImportCommand.class, ReviewCommand.class, GitHubCommand.class, ModelsCommand.class, AuthCommand.class, AuditCommand.class, TrustCommand.class, ConfigCommand.class, DbCommand.class, McpCommand.class, HooksCommand.class, PluginCommand.class, PermissionsCommand.class,
                DoctorCommand.class, DebugCommand.class, AcpCommand.class, WebCommand.class, PairCommand.class, WorktreeCommand.class, UserCommand.class, ScheduleCommand.class,
                UpgradeCommand.class, UninstallCommand.class})
public final class Main implements Callable<Integer> {
    public static void main(String[] args) {
        // the server's log is its standard error (server.log for the daemon); everyone else's goes beside it
        if (args.length == 0 || !args[0].equals("serve")) {
            LogRouting.toFile(() -> ServerDiscovery.defaultPath(Backends.env(), Backends.home()).resolveSibling("lathe.log"));
        }
        int code = execute(args);
        TerminalOutput.flush();
        // exit at once: waiting for daemon threads blocked in native I/O costs ~300 ms on a one-shot command; a
        // profiling run (-Dlathe.profile=true, docs/performance.md) exits normally so JFR can write its recording
        if (Boolean.getBoolean("lathe.profile")) System.exit(code);
        Runtime.getRuntime().halt(code);
    }

    static int execute(String... args) {
        TelemetryNotice.sayAtStart(args, System.getenv());
        // `lathe run` is the start-up-critical one-shot command: its plain arguments are read without picocli
        // (RunArguments); anything else builds only run's own command model, not the whole tree (picocli reflects over
        // every subcommand and initialises its class)
        boolean run = args.length > 0 && args[0].equals("run");
        if (run) {
            StartupWarmUp.start();
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
            Optional<RunCommand> plain = RunArguments.read(args);
            if (plain.isPresent()) {
                try {
                    return plain.get().call();
                } catch (Exception e) {
                    return failed(e, TerminalOutput.err());
                }
            }
        }
        // bare `lathe`, the terminal UI, is the other start-up-critical command: with no words there is nothing to
        // parse, and picocli's reflection over the whole command tree was a third of the UI's time to its first frame
        if (args.length == 0) {
            try {
                return new Main().call();
            } catch (Exception e) {
                return failed(e, TerminalOutput.err());
            }
        }
        if (!run && args.length > 0) {
            Optional<String> meant = MistypedCommand.meant(args[0], MistypedCommand.commands());
            if (meant.isPresent()) {
                TerminalOutput.err().println("lathe: unknown command '" + args[0] + "'; did you mean 'lathe " + meant.get() + "'? (lathe --help lists the commands)");
                return ExitCode.USAGE;
            }
        }
        var cli = run ? new CommandLine(new RunCommand()) : new CommandLine(new Main());
        if (run) cli.setCommandName("lathe run");
        // every command prints through the one sanitiser (DESIGN §24); help is plain text, as its styles would be shown
        // as escape pictures by it
        cli.setOut(TerminalOutput.out()).setErr(TerminalOutput.err()).setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, commandLine.getErr()));
        cli.setParameterExceptionHandler((e, args1) -> {
            Optional<String> meant = MistypedOption.meant(e);
            if (meant.isPresent()) {
                // the usage below a typo would scroll the one line that matters out of sight
                e.getCommandLine().getErr().println("lathe: " + meant.get());
                return ExitCode.USAGE;
            }
            e.getCommandLine().getErr().println("lathe: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return ExitCode.USAGE;
        });
        return cli.execute(args);
    }

    /** What a command that threw prints, and its exit code. */
    private static int failed(Exception e, java.io.PrintWriter err) {
        err.println("lathe: " + e.getMessage());
        return switch (e) {
            case UsageError _ -> ExitCode.USAGE;
            case LatheException refused -> refusedCode(refused);
            default -> ExitCode.MODEL_ERROR;
        };
    }

    /** A request the server refused is the user's to fix (usage), unless the server itself failed. */
    private static int refusedCode(LatheException e) {
        return switch (e) {
            case LatheException.InvalidInput _, LatheException.Unauthorized _, LatheException.Forbidden _, LatheException.NotFound _,
                    LatheException.Conflict _, LatheException.TooLarge _, LatheException.InvalidConfig _,
                    LatheException.CommandFailed _ -> ExitCode.USAGE;
            case LatheException.Failed _, LatheException.Unavailable _ -> ExitCode.MODEL_ERROR;
        };
    }

    @picocli.CommandLine.Parameters(arity = "0..*", paramLabel = "[DIR] [PROMPT]", description = "the project folder, then a prompt to send at start")
    java.util.List<String> words = java.util.List.of();

    @picocli.CommandLine.Option(names = "--model", paramLabel = "PROVIDER/MODEL", description = "the model of the next messages")
    Optional<String> model = Optional.empty();

    @picocli.CommandLine.Option(names = "--agent", paramLabel = "NAME", description = "the agent of the next messages")
    Optional<String> agent = Optional.empty();

    @picocli.CommandLine.Option(names = {"-c", "--continue"}, description = "the folder's latest session, also with a PROMPT")
    boolean continueLatest;

    @picocli.CommandLine.Option(names = "--auto", description = "auto-approval: the classifier your own config names (permission.auto) answers"
            + " what the rules leave to ask of the messages you send; deny rules and the hardDeny list still decide first")
    boolean auto;

    @picocli.CommandLine.Option(names = {"-w", "--worktree"}, arity = "0..1", fallbackValue = "", paramLabel = "NAME",
            description = {"a new session in a new git worktree on branch lathe/NAME", "(in REPO/.lathe/worktrees/NAME; a name is generated when none is given)"})
    Optional<String> worktree = Optional.empty();

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    /** Bare {@code lathe [DIR] [--model M] [--agent A] [--continue] [PROMPT]}: the terminal UI on the daemon for the folder. */
    @Override
    public Integer call() throws InterruptedException {
        // spec is null on the fast path of bare `lathe` (no words, so no command names to tell them from)
        var bare = words.isEmpty() ? BareArguments.of(words, java.util.Set.of()) : BareArguments.of(words, spec.subcommands().keySet());
        // bare: the session the UI last showed here, never a `lathe run` or review the user did not work in here (issue 71)
        var attach = continueLatest ? TerminalUi.Attach.LATEST
                : bare.prompt().isPresent() ? TerminalUi.Attach.NEW : TerminalUi.Attach.LAST_SHOWN;
        var start = new TerminalUi.Start(Optional.empty(), attach, model, agent, bare.prompt())
                .approvedBy(auto ? TerminalUi.Approvals.AUTO : TerminalUi.Approvals.PERSON);
        if (worktree.isPresent()) return WorktreeCommand.console(Folders.project(bare.dir()), worktree, start);
        return AttachCommand.console(Optional.empty(), Optional.empty(), Folders.project(bare.dir()), start);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() { return new String[] {"lathe " + Version.described()}; }
    }
}
