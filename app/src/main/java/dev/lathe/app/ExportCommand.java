package dev.lathe.app;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.run.console.ExitCode;
import dev.lathe.server.LatheServer;
import dev.lathe.tui.view.SessionMarkdown;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lathe export ID [--format json|markdown]}: the whole session (hidden messages included) as one JSON document on
 * standard output, or as Markdown to read or share (what the terminal UI's {@code /export} writes).
 * {@code lathe export ID --to claude-code|opencode [--dir DIR]} (DESIGN §27): the session written into that harness's
 * own storage, in the storage of the user whose shell runs it; prints the new id, then the command that continues it.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Print a session as JSON (lathe import reads it back) or Markdown, or with --to write it into Claude Code's or "
        + "OpenCode's own storage and print the new id and the command that resumes it there.")
final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "the session (see lathe sessions)")
    String id;

    @picocli.CommandLine.Option(names = "--format", paramLabel = "FORMAT", description = "json (default) or markdown")
    String format = "json";

    @picocli.CommandLine.Option(names = "--to", paramLabel = "HARNESS", description = "claude-code or opencode: write the session into that tool's storage")
    String to;

    @picocli.CommandLine.Option(names = "--dir", paramLabel = "DIR", description = "with --to: the project folder it continues in (default: the session's own)")
    Path dir;

    @Override
    public Integer call() {
        if (to != null) return HarnessExport.run(spec.commandLine(), id, to, Optional.ofNullable(dir), format.equals("json"));
        if (dir != null) throw new UsageError("--dir goes with --to claude-code|opencode");
        SessionExport export;
        try (LatheApi api = Backends.runningOrInProcess(Folders.project(Optional.<Path>empty()))) {
            export = api.export(new SessionId(id));
        } catch (LatheServer.StartupException e) {
            throw new UsageError(e.getMessage());
        }
        if (!format.equals("json") && !format.equals("markdown")) throw new UsageError("--format takes json or markdown, not " + format);
        PrintWriter out = spec.commandLine().getOut();
        out.println(format.equals("markdown") ? SessionMarkdown.of(export.session(), export.messages()) : TerminalOutput.json(WireJson.write(export)));
        out.flush();
        return ExitCode.FINISHED;
    }
}
