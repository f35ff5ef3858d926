package dev.lathe.app;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.DiffPage;
import dev.lathe.protocol.api.DiffQuery;
import dev.lathe.protocol.api.DiffScope;
import dev.lathe.protocol.api.FileDiff;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.run.console.ExitCode;
import dev.lathe.run.console.OutputFormat;
import dev.lathe.server.LatheServer;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lathe diff ID [--scope turn|session|uncommitted|branch] [--stat] [--format text|json] [--exit-code]} (DESIGN
 * §32, decision 593): the session's diff for scripts. Text is the unified diff, exact when redirected (so it can be
 * applied) and with controls shown on a terminal; {@code --stat} one {@code ADDED<TAB>DELETED<TAB>PATH} line per file
 * (git's {@code --numstat}, {@code -} for a binary file); {@code json} one object. Exit 0, or with {@code --exit-code} 1
 * when the diff is not empty (git's {@code --exit-code}); a refusal (unknown session, bad scope, no repository) exits 2.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, description = "Print a session's diff: what its last turn or the whole session changed, "
        + "or git's uncommitted or branch changes in its folder (its worktree).")
final class DiffCommand implements Callable<Integer> {
    /** Files asked per request: a huge diff comes in pages, each bounded on the server. */
    private static final int PAGE = 100;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "the session (see lathe sessions)")
    String id;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "turn, session (default), uncommitted or branch")
    String scope = "session";

    @Option(names = "--stat", description = "one line per file: lines added, removed, path")
    boolean stat;

    @Option(names = "--format", paramLabel = "text|json", description = "text (default) or json: one object {sessionId, scope, files}")
    OutputFormat format = OutputFormat.text;

    @Option(names = "--exit-code", description = "exit 1 when the diff is not empty, as git diff --exit-code")
    boolean exitCode;

    @Override
    public Integer call() {
        DiffScope parsed = DiffScope.parse(scope);
        if (stat && format == OutputFormat.json) throw new UsageError("--stat is a text form: json holds the counts already");
        List<FileDiff> files = new ArrayList<>();
        try (LatheApi api = Backends.runningOrInProcess(Folders.project(Optional.<Path>empty()))) {
            DiffQuery query = new DiffQuery(parsed, OptionalInt.of(PAGE), Optional.empty());
            for (DiffPage page = api.diff(new SessionId(id), query); ; page = api.diff(new SessionId(id), query)) {
                files.addAll(page.files());
                if (!page.more() || page.files().isEmpty()) break;
                query = query.next(page);
            }
        } catch (LatheServer.StartupException e) {
            throw new UsageError(e.getMessage());
        }
        if (format == OutputFormat.json) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(TerminalOutput.json(WireJson.write(Map.of("sessionId", id, "scope", parsed.wire(), "files", files))));
            out.flush();
        } else if (stat) {
            PrintWriter out = spec.commandLine().getOut();
            for (FileDiff f : files) out.println((f.binary() ? "-\t-" : f.additions() + "\t" + f.deletions()) + "\t" + f.path());
            out.flush();
        } else {
            printPatches(files, TerminalOutput.answer(OutputFormat.text));
        }
        return exitCode && !files.isEmpty() ? 1 : ExitCode.FINISHED;
    }

    /** The patches one after the other; a binary or cut file says so on a line of its own, which {@code git apply} skips. */
    private static void printPatches(List<FileDiff> files, PrintStream out) {
        for (FileDiff f : files) {
            if (f.binary()) {
                out.println("Binary file " + f.path() + " " + f.status() + " (not shown)");
                continue;
            }
            out.print(f.patch());
            if (!f.patch().isEmpty() && !f.patch().endsWith("\n")) out.println();
            if (f.truncated()) {
                out.println("# " + f.path() + ": patch cut at " + FileDiff.MAX_PATCH_CHARS + " characters (+" + f.additions() + " -" + f.deletions() + " lines in all)");
            }
        }
        out.flush();
    }
}
