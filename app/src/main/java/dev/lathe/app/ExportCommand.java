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

/** {@code lathe export ID}: the whole session (hidden messages included) as one JSON document on standard output. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Print a session as JSON (lathe import reads it back).")
final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "the session (see lathe sessions)")
    String id;

    @Override
    public Integer call() {
        SessionExport export;
        try (LatheApi api = Backends.runningOrInProcess(Folders.project(Optional.<Path>empty()))) {
            export = api.export(new SessionId(id));
        } catch (LatheServer.StartupException e) {
            throw new UsageError(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(WireJson.write(export));
        out.flush();
        return ExitCode.FINISHED;
    }
}
