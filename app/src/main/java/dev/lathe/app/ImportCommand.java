package dev.lathe.app;

import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.server.LatheServer;
import dev.lathe.tui.console.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lathe import FILE}: stores a session written by {@code lathe export} under its own ids and prints its id. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Store a session exported with lathe export; prints its id.")
final class ImportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the exported JSON; - reads standard input")
    String file;

    @Override
    public Integer call() {
        SessionExport export;
        try {
            String json = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
            export = WireJson.read(json, SessionExport.class);
        } catch (IOException e) {
            throw new UsageError("cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageError(file + " is not a session exported by lathe export: " + e.getMessage());
        }
        Session imported;
        try (LatheApi api = Backends.runningOrInProcess(Folders.project(Optional.empty()))) {
            imported = api.importSession(export);
        } catch (LatheServer.StartupException e) {
            throw new UsageError(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(imported.id().value());
        out.flush();
        return ExitCode.FINISHED;
    }
}
