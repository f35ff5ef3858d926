package dev.lathe.app;

import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.server.local.LocalCommands;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lathe audit [--dir DIR] [--session ID] [--verify] [--format text|json]}: the project's tamper-evident log of
 * tool calls, permission decisions and answers (DESIGN §3, §18), one line per entry, read from the data folder without
 * a server. {@code --verify} checks the hash chain instead: exit 0 when intact, 1 naming the first bad entry (its line
 * number and why).
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Print or verify the project's tamper-evident audit log.")
final class AuditCommand implements Callable<Integer> {
    /** DESIGN §18: a broken chain (or an unreadable log) exits 1. */
    private static final int BROKEN = 1;

    @Spec CommandSpec spec;

    @Option(names = "--dir", description = "project folder (default: current folder)")
    Path dir = Path.of("");

    @Option(names = "--session", description = "only this session's entries")
    String session;

    @Option(names = "--verify", description = "check the hash chain: exit 0 when intact, 1 naming the first bad entry")
    boolean verify;

    @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json (the raw entry lines)")
    OutputFormat format = OutputFormat.text;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path project = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(project)) {
            err.println("lathe: --dir " + dir + " is not a folder");
            return ExitCode.USAGE;
        }
        LocalCommands.AuditForm form = switch (format) {
            case text -> LocalCommands.AuditForm.TEXT;
            case json -> LocalCommands.AuditForm.JSON;
        };
        var log = LocalCommands.of(System.getenv()).audit(project);
        try {
            if (verify) return verify(log, out, err);
            log.entries(Optional.ofNullable(session), form).forEach(out::println);
            out.flush();
            return ExitCode.FINISHED;
        } catch (LocalCommands.Failure e) {
            err.println("lathe: " + e.getMessage());
            return BROKEN;
        }
    }

    private static int verify(LocalCommands.AuditLog log, PrintWriter out, PrintWriter err) {
        return switch (log.verify()) {
            case LocalCommands.AuditCheck.Intact i -> {
                i.sealedTornLines().forEach(n -> out.println("note: line " + n + " was torn by an interrupted write (a crash) and sealed after"));
                if (i.unkeyedEntries() > 0) {
                    out.println("note: the first " + i.unkeyedEntries() + " entries were written before the audit key existed: only a plain hash"
                            + " chain vouches for them, which anyone who can write the log could recompute");
                }
                out.println("intact: " + i.entries() + " entries (" + log.file() + ")");
                out.flush();
                yield ExitCode.FINISHED;
            }
            case LocalCommands.AuditCheck.Broken b -> {
                err.println("lathe: audit log " + log.file() + " is broken at line " + b.line() + ": " + b.why());
                err.flush();
                yield BROKEN;
            }
        };
    }
}
