package dev.lathe.app;

import dev.lathe.app.release.Installation;
import dev.lathe.app.release.Uninstall;
import dev.lathe.run.console.ExitCode;
import dev.lathe.term.VisibleControls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lathe uninstall}: lists what Lathe installed and its cache, and on request its data and configuration, then
 * removes them once the user says yes (on a terminal) or gave {@code --yes}; {@code --dry-run} only lists. The
 * background server is stopped first, so nothing writes into a folder being removed. What another tool installed is
 * named with the command that removes it ({@link Uninstall}).
 */
@Command(name = "uninstall", mixinStandardHelpOptions = true, description = "Remove what Lathe installed (and, with --data or --config, your sessions or settings).")
final class UninstallCommand implements Callable<Integer> {
    @Option(names = "--data", description = "also remove your data and state: sessions, saved keys, trusted folders, the audit log, logs")
    boolean data;

    @Option(names = "--config", description = "also remove your configuration (~/.config/lathe)")
    boolean config;

    @Option(names = "--dry-run", description = "list what would be removed, remove nothing")
    boolean dryRun;

    @Option(names = {"--yes", "-y"}, description = "remove without asking (scripts)")
    boolean yes;

    @Spec CommandSpec spec;

    /** What runs before anything is removed: stopping the background server, which holds the database and the logs. */
    @FunctionalInterface
    interface ServerStop {
        void stop(PrintWriter err);
    }

    private final Map<String, String> env;
    private final Installation installation;
    private final ServerStop serverStop;

    UninstallCommand() {
        this(System.getenv(), Installation.current(), UninstallCommand::stopDaemon);
    }

    UninstallCommand(Map<String, String> env, Installation installation, ServerStop serverStop) {
        this.env = env;
        this.installation = installation;
        this.serverStop = serverStop;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Uninstall.Plan plan = Uninstall.of(installation, env, new Uninstall.Scope(data, config));
        if (plan.items().isEmpty()) out.println("Nothing of Lathe's to remove here.");
        else out.println(dryRun ? "Would remove:" : "Removes:");
        for (Uninstall.Item i : plan.items()) out.println("  " + VisibleControls.line(i.path().toString()) + "  — " + i.what());
        for (String note : plan.notes()) out.println("Note: " + VisibleControls.line(note));
        out.flush();
        if (dryRun || plan.items().isEmpty()) return ExitCode.FINISHED;
        if (!yes && !confirmed(out)) {
            err.println("lathe: nothing removed" + (System.console() == null ? " (no terminal to ask: run again with --yes)" : ""));
            err.flush();
            return System.console() == null ? ExitCode.USAGE : ExitCode.FINISHED;
        }
        // the server holds the database and writes logs: stopped first, so nothing is written into a folder going away
        serverStop.stop(err);
        List<String> failed = new ArrayList<>();
        for (Uninstall.Item i : plan.items()) Uninstall.remove(i.path()).ifPresent(failed::add);
        failed.forEach(f -> err.println("lathe: could not remove " + VisibleControls.line(f)));
        err.println(failed.isEmpty() ? "lathe: removed " + plan.items().size() + (plan.items().size() == 1 ? " item" : " items") : "lathe: some items stayed");
        err.flush();
        return failed.isEmpty() ? ExitCode.FINISHED : ExitCode.USAGE;
    }

    /** Asks on the terminal; no answer (no terminal, end of input) is no. */
    private static boolean confirmed(PrintWriter out) {
        if (System.console() == null) return false;
        out.print("Remove these? [y/N] ");
        out.flush();
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return Optional.ofNullable(line).map(String::strip).filter(a -> a.equalsIgnoreCase("y") || a.equalsIgnoreCase("yes")).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code lathe stop}'s stop, said in one line. */
    private static void stopDaemon(PrintWriter err) {
        var stopped = Backends.daemon().stop(StopCommand.TIMEOUT);
        switch (stopped.outcome()) {
            case STOPPED, KILLED -> err.println("lathe: stopped the background server (pid " + stopped.pid() + ") first");
            case NOT_RUNNING, STALE_REMOVED -> { }
        }
    }
}
