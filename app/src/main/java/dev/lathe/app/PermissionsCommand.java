package dev.lathe.app;

import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.RememberedApproval;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.server.LatheServer;
import dev.lathe.tui.console.ExitCode;
import dev.lathe.tui.console.OutputFormat;
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
 * {@code lathe permissions [--dir DIR] [--revoke ID] [--format json]}: the folder's remembered "always" answers, and
 * forgetting one. Like {@code lathe stats} it asks the daemon when one runs — the only place a session's answers
 * live, and a revoke there applies from the running turn's next tool call — else opens the core in this process for
 * the project-wide answers (the database); it never starts a daemon. JSON is the {@code GET /approvals} list.
 */
@Command(name = "permissions", mixinStandardHelpOptions = true,
        description = "List the remembered \"always\" answers of a project folder, or revoke one.")
final class PermissionsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "project folder (default: current folder)")
    Optional<Path> dir = Optional.empty();

    @Option(names = "--revoke", paramLabel = "ID", description = "forget the answer with this id (as listed)")
    Optional<String> revoke = Optional.empty();

    @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json: the GET /approvals list")
    OutputFormat format = OutputFormat.text;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String directory = Folders.project(dir);
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
            out.flush();
            err.flush();
            return ExitCode.FINISHED;
        } catch (LatheServer.StartupException e) {
            throw new UsageError(e.getMessage());
        }
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
