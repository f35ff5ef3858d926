package dev.lathe.app;

import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.HistoryImportResult;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.SessionExport;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.run.console.ExitCode;
import dev.lathe.server.LatheServer;
import dev.lathe.term.VisibleControls;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lathe import FILE}: stores a session written by {@code lathe export} under its own ids and prints its id.
 * {@code lathe import --from claude-code|opencode|codex [--dir DIR] [ID | --all] [--since DATE]} (DESIGN §21): another
 * harness's sessions, read where that harness keeps them (its own variables, from this shell); without ID or
 * {@code --all} it lists what it would import and imports nothing.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import Claude Code, OpenCode or Codex sessions (--from), or a session exported by lathe export.",
                "With --from: list (or with ID / --all, import) that tool's sessions; prints one line per session, its Lathe id first.",
                "With FILE: store a session exported with lathe export; prints its id."})
final class ImportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE|ID", arity = "0..1",
            description = "the exported JSON (- reads standard input); with --from, the other harness's session id (a unique prefix)")
    String argument;

    @Option(names = "--from", paramLabel = "SOURCE", description = "claude-code, opencode or codex")
    String from;

    @Option(names = "--dir", paramLabel = "DIR", description = "with --from: only the sessions of this folder")
    Path dir;

    @Option(names = "--all", description = "with --from: import every session found")
    boolean all;

    @Option(names = "--since", paramLabel = "DATE", description = "with --from: only sessions changed since DATE (2026-11-01 or an ISO instant)")
    String since;

    @Override
    public Integer call() {
        if (from == null) {
            if (argument == null) throw new UsageError("name a FILE exported by lathe export, or --from claude-code|opencode|codex");
            if (all || dir != null || since != null) throw new UsageError("--dir, --all and --since go with --from");
            return importFile();
        }
        if (all && argument != null) throw new UsageError("give a session ID or --all, not both");
        Optional<String> directory = Optional.ofNullable(dir).map(d -> d.toAbsolutePath().normalize().toString());
        var request = new HistoryImportRequest(from, directory, Optional.ofNullable(argument), all, Optional.ofNullable(since).map(ImportCommand::millis),
                HistoryImportRequest.Locations.of(System.getenv()));
        HistoryImportResult result;
        try (LatheApi api = Backends.runningOrInProcess(directory.orElseGet(() -> Folders.project(Optional.empty())))) {
            result = api.importHistory(request);
        } catch (LatheServer.StartupException e) {
            throw new UsageError(e.getMessage());
        } catch (LatheException.InvalidInput | LatheException.NotFound e) {
            throw new UsageError(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String problem : result.problems()) err.println("lathe: " + problem);
        err.flush();
        if (!result.sessions().isEmpty()) {
            List<String> heads = result.sessions().getFirst().outcome().equals("found") ? List.of("ID", "FOLDER", "TITLE", "UPDATED", "MESSAGES")
                    : List.of("LATHE ID", "OUTCOME", "ID", "TITLE");
            ColumnHeads.table(out, heads, result.sessions().stream().map(ImportCommand::line).toList());
        }
        if (result.sessions().isEmpty()) err.println("lathe: no " + from + " sessions found" + directory.map(d -> " for " + d).orElse(""));
        else if (!all && argument == null) err.println("lathe: nothing imported; run again with a session id or --all to import");
        out.flush();
        err.flush();
        return ExitCode.FINISHED;
    }

    /**
     * Imported: the Lathe id first; listed: the other harness's id first. Tab-separated, one session a line. Every field
     * read from the other harness's files (its ids, folder, title) is shown as one screen line would be
     * ({@link VisibleControls#line}): no escape sequence it holds reaches the terminal, and no tab or newline in it makes
     * a column or a session of its own (issue 52).
     */
    static String line(HistoryImportResult.Entry e) {
        String when = Instant.ofEpochMilli(e.updatedAt()).toString();
        String parent = e.parentSourceId().map(p -> "\tsubagent of " + field(p)).orElse("");
        if (e.outcome().equals("found")) {
            return field(e.sourceId()) + "\t" + field(e.directory()) + "\t" + field(e.title()) + "\t" + when + "\t" + e.messages() + " messages"
                    + parent + e.sessionId().map(id -> "\timported as " + id).orElse("");
        }
        return e.sessionId().orElseThrow() + "\t" + e.outcome() + "\t" + field(e.sourceId()) + "\t" + field(e.title()) + parent;
    }

    private static String field(String untrusted) {
        return VisibleControls.line(untrusted);
    }

    private static long millis(String date) {
        try {
            return LocalDate.parse(date).atStartOfDay(ZoneId.systemDefault()).toInstant().toEpochMilli();
        } catch (DateTimeParseException notADate) {
            try {
                return Instant.parse(date).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new UsageError("--since takes a date (2026-11-01) or an ISO instant (2026-11-01T10:00:00Z), not " + date);
            }
        }
    }

    /**
     * The most of one export read: an export is one JSON document, held whole to be parsed (and, to a running server,
     * sent as one request, which it caps lower still); this bounds what a huge file, a device or an endless pipe named
     * here can make Lathe hold.
     */
    static final int MAX_EXPORT_BYTES = 64 << 20;

    /**
     * The text of the export {@code argument} names ({@code -}: {@code stdin}), never more than {@link #MAX_EXPORT_BYTES}
     * read: a larger regular file is refused by its size before a byte is read, a pipe or FIFO once it has given more.
     *
     * @throws UsageError naming the file and the cap, or why it cannot be read
     */
    static String exportText(String argument, java.io.InputStream stdin) {
        String tooLarge = argument + " holds more than " + (MAX_EXPORT_BYTES >> 20) + " MiB, more than lathe import reads from one export";
        try {
            Path file = Path.of(argument);
            if (!argument.equals("-") && Files.isRegularFile(file) && Files.size(file) > MAX_EXPORT_BYTES) throw new UsageError(tooLarge);
            byte[] bytes;
            if (argument.equals("-")) {
                bytes = stdin.readNBytes(MAX_EXPORT_BYTES + 1);
            } else {
                try (var in = Files.newInputStream(file)) {
                    bytes = in.readNBytes(MAX_EXPORT_BYTES + 1);
                }
            }
            if (bytes.length > MAX_EXPORT_BYTES) throw new UsageError(tooLarge);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new UsageError("cannot read " + argument + ": " + e.getMessage());
        }
    }

    private int importFile() {
        SessionExport export;
        try {
            export = WireJson.read(exportText(argument, System.in), SessionExport.class);
        } catch (IllegalArgumentException e) {
            throw new UsageError(argument + " is not a session exported by lathe export: " + e.getMessage());
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
