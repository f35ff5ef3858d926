package dev.lathe.tui;

import dev.lathe.protocol.api.HistoryImportRequest;
import dev.lathe.protocol.api.HistoryImportResult;
import dev.lathe.tui.text.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;

/**
 * {@code /import [SOURCE ID | SOURCE all]} (DESIGN §21): without arguments, the Claude Code, OpenCode and Codex sessions
 * of this folder (what {@code lathe import --from} finds, read with this terminal's {@code HOME},
 * {@code CLAUDE_CONFIG_DIR}, {@code XDG_DATA_HOME} and {@code CODEX_HOME}); with a source and an id (or {@code all}),
 * imports them, after which {@code /sessions} opens them. The files are read in the server on a virtual thread of this
 * client, never on the UI's.
 */
final class ImportCommand {
    private static final List<String> SOURCES = List.of("claude-code", "opencode", "codex");

    private final CommandHost ui;

    ImportCommand(CommandHost ui) { this.ui = ui; }

    void run(String arguments) {
        String[] words = arguments.isBlank() ? new String[0] : arguments.strip().split("\\s+");
        var where = HistoryImportRequest.Locations.of(System.getenv());
        if (words.length == 0) {
            background(() -> {
                List<Found> found = new ArrayList<>();
                for (String source : SOURCES) {
                    var result = ui.api().importHistory(new HistoryImportRequest(source, Optional.of(ui.directory()), Optional.empty(), false,
                            Optional.empty(), where));
                    for (HistoryImportResult.Entry e : result.sessions()) {
                        if (e.parentSourceId().isEmpty()) found.add(new Found(source, e.sourceId(), e.title(), e.messages(), e.sessionId()));
                    }
                }
                return () -> list(found);
            });
        } else if (words.length == 2 && SOURCES.contains(words[0])) {
            boolean all = words[1].equals("all");
            background(() -> {
                var result = ui.api().importHistory(new HistoryImportRequest(words[0], Optional.of(ui.directory()),
                        all ? Optional.empty() : Optional.of(words[1]), all, Optional.empty(), where));
                long added = result.sessions().stream().filter(e -> !e.outcome().equals("unchanged")).count();
                return () -> ui.notice(List.of(ui.theme().paint(Role.SUCCESS, "✓ Imported " + result.sessions().size() + " session"
                        + (result.sessions().size() == 1 ? "" : "s") + " from " + words[0] + " (" + added + " new or updated); /sessions opens them")));
            });
        } else {
            ui.error("/import takes nothing (the list), or claude-code|opencode|codex and a session id or all");
        }
    }

    /** A session of another tool in this folder; {@code sessionId} is the Lathe session it was imported as, if it was. */
    private record Found(String source, String sourceId, String title, int messages, Optional<String> sessionId) {}

    private void list(List<Found> found) {
        if (found.isEmpty()) {
            ui.notice("No Claude Code, OpenCode or Codex sessions for this folder");
            return;
        }
        var lines = new ArrayList<AttributedString>();
        lines.add(ui.theme().paint(Role.HEADING, "Sessions of other tools in this folder"));
        for (Found f : found) {
            String id = f.sourceId().length() > 12 ? f.sourceId().substring(0, 12) : f.sourceId();
            // one imported before is marked, as `lathe import` and the web UI's offer do: importing it again adds nothing
            String state = f.messages() + " messages" + f.sessionId().map(s -> " · imported as " + s).orElse("");
            lines.add(AttributedString.join(AttributedString.EMPTY, new AttributedString("  " + f.source() + "  " + id + "  " + f.title() + "  "),
                    ui.theme().paint(Role.MUTED, state)));
        }
        lines.add(ui.theme().paint(Role.MUTED, "  /import SOURCE ID imports one, /import SOURCE all every one"));
        ui.notice(lines);
    }

    private void background(java.util.concurrent.Callable<Runnable> call) {
        Thread.ofVirtual().name("lathe-import").start(() -> {
            Runnable followUp;
            try {
                followUp = call.call();
            } catch (Exception e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                followUp = () -> ui.error(message);
            }
            ui.later(followUp);
        });
    }
}
