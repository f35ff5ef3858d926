package dev.lathe.app;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.HarnessExportRequest;
import dev.lathe.protocol.api.HarnessExportResult;
import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.run.console.ExitCode;
import dev.lathe.server.LatheServer;
import dev.lathe.term.VisibleControls;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;

/**
 * {@code lathe export ID --to claude-code|opencode [--dir DIR]} (DESIGN §27): asks the server to write the session into
 * that harness's storage, sending this shell's {@code HOME}, {@code CLAUDE_CONFIG_DIR} and {@code XDG_DATA_HOME} so the
 * storage written is this user's. Prints the new id, then the command that continues the session there, on standard
 * output; what the other format could not carry on standard error, one line each.
 */
final class HarnessExport {
    private HarnessExport() {}

    static int run(CommandLine cli, String id, String to, Optional<Path> dir, boolean defaultFormat) {
        if (!defaultFormat) throw new UsageError("--format goes without --to: an export to another tool is written in that tool's own format");
        if (!to.equals("claude-code") && !to.equals("opencode")) throw new UsageError("--to takes claude-code or opencode, not " + VisibleControls.line(to));
        Optional<String> directory = dir.map(d -> d.toAbsolutePath().normalize().toString());
        var request = new HarnessExportRequest(to, directory, HistoryImportRequest.Locations.of(System.getenv()));
        HarnessExportResult result;
        try (LatheApi api = Backends.runningOrInProcess(directory.orElseGet(() -> Folders.project(Optional.empty())))) {
            result = api.exportTo(new SessionId(id), request);
        } catch (LatheServer.StartupException e) {
            throw new UsageError(e.getMessage());
        } catch (LatheException.InvalidInput | LatheException.NotFound | LatheException.Forbidden e) {
            // the message names folders, and a session imported from another tool's files may name any folder: one screen line
            throw new UsageError(VisibleControls.line(e.getMessage()));
        }
        PrintWriter out = cli.getOut();
        PrintWriter err = cli.getErr();
        for (String line : result.notCarried()) err.println("lathe: not carried: " + VisibleControls.line(line));
        err.flush();
        out.println(result.id());
        out.println(VisibleControls.line(result.resume()));
        out.flush();
        return ExitCode.FINISHED;
    }
}
