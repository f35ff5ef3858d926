package dev.lathe.app;

import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.RememberedApproval;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.server.LatheServer;
import dev.lathe.server.local.LocalCommands;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lathe permissions [--dir DIR] [--revoke ID] [--rules] [--format json]}: the folder's remembered "always"
 * answers, and forgetting one. Like {@code lathe stats} it asks the daemon when one runs — the only place a session's
 * answers live, and a revoke there applies from the running turn's next tool call — else opens the core in this
 * process for the project-wide answers (the database); it never starts a daemon. JSON is the {@code GET /approvals}
 * list, unchanged for the scripts that read it. The text form also lists the rules the folder's files configure, each
 * with the file that wrote it, and the allow rules withheld until {@code lathe trust} (DESIGN §24); {@code --rules}
 * lists only those, and is how JSON gets them (the approvals' JSON is an array that cannot take another key).
 */
@Command(name = "permissions", mixinStandardHelpOptions = true, subcommands = AutoLogCommand.class,
        description = "List the remembered \"always\" answers of a project folder, or revoke one.")
final class PermissionsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "project folder (default: current folder)")
    Optional<Path> dir = Optional.empty();

    @Option(names = "--revoke", paramLabel = "ID", description = "forget the answer with this id (as listed)")
    Optional<String> revoke = Optional.empty();

    @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json: the GET /approvals list (with --rules: the rules)")
    OutputFormat format = OutputFormat.text;

    @Option(names = "--rules", description = "list only the configured permission rules, each with its file, and those withheld until lathe trust")
    boolean rulesOnly;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String directory = Folders.project(dir);
        if (rulesOnly && revoke.isEmpty()) return rules(out, err, directory);
        try (LatheApi api = Backends.runningOrInProcess(directory)) {
            if (revoke.isPresent()) {
                try {
                    RememberedApproval gone = api.revokeApproval(directory, revoke.get());
                    out.println("revoked " + gone.id() + ": " + describe(gone));
                    out.flush();
                    return ExitCode.FINISHED;
                } catch (LatheException.NotFound e) {
                    err.println("lathe: " + e.getMessage());
                    err.flush();
                    return ExitCode.MODEL_ERROR;
                }
            }
            List<RememberedApproval> all = api.approvals(directory);
            if (format == OutputFormat.json) {
                out.println(TerminalOutput.json(WireJson.write(all)));
            } else if (all.isEmpty()) {
                err.println("lathe: no remembered answers in " + directory);
            } else {
                text(out, all);
            }
            if (format == OutputFormat.text) {
                List<LocalCommands.ConfiguredRule> rules = configured(err, directory);
                if (!rules.isEmpty()) {
                    if (!all.isEmpty()) out.println();
                    rules(out, rules);
                }
            }
            out.flush();
            err.flush();
            return ExitCode.FINISHED;
        } catch (LatheServer.StartupException e) {
            throw new UsageError(e.getMessage());
        }
    }

    private Integer rules(PrintWriter out, PrintWriter err, String directory) {
        List<LocalCommands.ConfiguredRule> rules = configured(err, directory);
        if (format == OutputFormat.json) {
            out.println(TerminalOutput.json(WireJson.write(rules)));
        } else if (rules.isEmpty()) {
            err.println("lathe: no configured permission rules in " + directory + " (only the built-in defaults)");
        } else {
            rules(out, rules);
        }
        out.flush();
        err.flush();
        return ExitCode.FINISHED;
    }

    /** The rules the folder's files configure, read here from the files (never from a daemon). */
    private static List<LocalCommands.ConfiguredRule> configured(PrintWriter err, String directory) {
        try {
            return LocalCommands.of(System.getenv()).configuredRules(Path.of(directory), w -> err.println("lathe: " + w));
        } catch (LocalCommands.Failure e) {
            throw new UsageError(e.getMessage());
        }
    }

    /** The rules as a table: a withheld allow is marked so, the one place a user sees why it does not apply yet. */
    static void rules(PrintWriter out, List<LocalCommands.ConfiguredRule> rules) {
        int permissionWidth = Math.max(10, rules.stream().mapToInt(r -> permission(r).length()).max().orElse(0));
        int patternWidth = Math.max(7, rules.stream().mapToInt(r -> r.pattern().length()).max().orElse(0));
        String row = "%-" + permissionWidth + "s  %-" + patternWidth + "s  %-6s  %-22s  %s%n";
        out.printf(row, "PERMISSION", "PATTERN", "ACTION", "STATE", "SOURCE");
        for (LocalCommands.ConfiguredRule r : rules) {
            String state = r.state().equals("withheld") ? "withheld until trust" : r.state();
            out.printf(row, permission(r), r.pattern(), r.action(), state, r.source());
        }
    }

    private static String permission(LocalCommands.ConfiguredRule r) {
        return r.agent().isEmpty() ? r.permission() : "agent " + r.agent() + ": " + r.permission();
    }

    static void text(PrintWriter out, List<RememberedApproval> all) {
        int scopeWidth = all.stream().mapToInt(a -> scope(a).length()).max().orElse(0);
        String row = "%-10s %-" + Math.max(5, scopeWidth) + "s  %-12s %s%n";
        out.printf(row, "ID", "SCOPE", "PERMISSION", "ALLOWS");
        for (RememberedApproval a : all) out.printf(row, a.id(), scope(a), a.permission(), a.pattern());
    }

    /** "bash git status * (project)" — what the answer allows and how far it reaches. */
    static String describe(RememberedApproval a) {
        return a.permission() + " " + a.pattern() + " (" + scope(a) + ")";
    }

    private static String scope(RememberedApproval a) {
        return switch (a.scope()) {
            case PROJECT -> "project";
            case SESSION -> "session " + a.sessionId().map(s -> s.value()).orElse("");
        };
    }
}
