package dev.lathe.app;

import dev.lathe.server.local.LocalCommands;
import java.util.Map;
import java.util.Set;

/**
 * Says on the terminal, as the commands that do the work start, that the environment asks for telemetry Lathe will not
 * send (issue 82: {@code OTEL_EXPORTER_OTLP_PROTOCOL=http/json} turned it off with a line only in the log). Which
 * protocols are sent is decided in one place ({@link LocalCommands#telemetryNotice}); this only picks the commands, and
 * asks nothing when no {@code OTEL_EXPORTER_OTLP_*} variable is set, so a plain start loads nothing for it.
 */
final class TelemetryNotice {
    /** The commands that run turns or serve them; a bare {@code lathe} (the terminal UI) is one too. */
    private static final Set<String> WORKING = Set.of("run", "serve", "attach", "web");

    private TelemetryNotice() {}

    static void sayAtStart(String[] args, Map<String, String> env) {
        boolean working = args.length == 0 || WORKING.contains(args[0]) || isFolder(args[0]);
        if (!working) return;
        if (env.keySet().stream().noneMatch(name -> name.startsWith("OTEL_EXPORTER_OTLP"))) return;
        LocalCommands.of(env).telemetryNotice().ifPresent(line -> {
            TerminalOutput.err().println("lathe: " + line);
            TerminalOutput.err().flush();
        });
    }

    /** {@code lathe DIR}: the terminal UI in that folder. */
    private static boolean isFolder(String word) {
        try {
            return java.nio.file.Files.isDirectory(java.nio.file.Path.of(word));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }
}
