package dev.lathe.app;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.server.LatheServer;
import dev.lathe.tui.console.ExitCode;
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
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Print a session as JSON (lathe import reads it back) or Markdown.")
final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "the session (see lathe sessions)")
    String id;

    @picocli.CommandLine.Option(names = "--format", paramLabel = "FORMAT", description = "json (default) or markdown")
    String format = "json";

    @Override
    public Integer call() {
        SessionExport export;
        try (LatheApi api = Backends.runningOrInProcess(Folders.project(Optional.<Path>empty()))) {
            export = api.export(new SessionId(id));
        } catch (LatheServer.StartupException e) {
            throw new UsageError(e.getMessage());
        }
        if (!format.equals("json") && !format.equals("markdown")) throw new UsageError("--format takes json or markdown, not " + format);
        PrintWriter out = spec.commandLine().getOut();
        out.println(format.equals("markdown") ? dev.lathe.tui.view.SessionMarkdown.of(export.session(), export.messages()) : TerminalOutput.json(WireJson.write(export)));
        out.flush();
        return ExitCode.FINISHED;
    }
}
