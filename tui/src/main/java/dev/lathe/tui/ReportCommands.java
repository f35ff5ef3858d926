package dev.lathe.tui;

import dev.lathe.protocol.api.MessageUsage;
import dev.lathe.protocol.api.SessionUsage;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.term.Money;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.view.CacheView;
import dev.lathe.tui.view.ContextView;
import dev.lathe.tui.view.Footer;
import dev.lathe.tui.view.HooksView;
import dev.lathe.tui.view.LspView;
import dev.lathe.tui.view.MemoryView;
import dev.lathe.tui.view.SessionMarkdown;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jline.utils.AttributedString;

/**
 * The commands that report on the session or the folder in the transcript: {@code /context}, {@code /cost},
 * {@code /cache}, {@code /hooks}, {@code /lsp}, and {@code /export}, which writes the session to a file and says where.
 */
final class ReportCommands {
    /** What the reports need of the UI: a command's needs and the open session. */
    interface Host extends CommandHost {
        Optional<Session> session();
    }

    private final ModelChoice choice;
    private final ContextFill contextFill;
    /** The terminal's width now, for the tables. */
    private final IntSupplier width;
    /** Where {@code /export} writes: beside Lathe's state, outside any project. */
    private final Path exports;
    private final Host ui;

    ReportCommands(ModelChoice choice, ContextFill contextFill, IntSupplier width, Path exports, Host ui) {
        this.choice = choice;
        this.contextFill = contextFill;
        this.width = width;
        this.exports = exports;
        this.ui = ui;
    }

    /** What fills the window, from the server's estimate of the next request; before a session exists, just the window. */
    void context() {
        if (ui.session().isEmpty()) {
            int limit = choice.contextLimit();
            ui.notice(List.of(ui.theme().paint(Role.HEADING, "Context"),
                    new AttributedString("  model      " + choice.model() + (limit > 0 ? " · window " + Footer.tokens(limit) : "")),
                    ui.theme().paint(Role.MUTED, "  no request yet in this session")));
            return;
        }
        ui.notice(ContextView.render(ui.api().context(ui.session().get().id()), contextFill.lastStep(), ui.theme(), width.getAsInt()));
    }

    /** {@code /hooks}: what fires in this folder, as the server's configuration has it ({@code GET /hooks}). */
    void hooks(String arguments) { folderList("/hooks", "the hooks", arguments, () -> HooksView.render(ui.api().hooks(ui.directory()), ui.theme())); }

    /** {@code /lsp}: the folder's language servers with their state ({@code GET /lsp}). */
    void lsp(String arguments) { folderList("/lsp", "the language servers", arguments, () -> LspView.render(ui.api().lsp(ui.directory()), ui.theme())); }

    /** {@code /memory}: the instruction files the model gets in this folder and why ({@code GET /memory}). */
    void memory(String arguments) {
        folderList("/memory", "the memory files", arguments, () -> MemoryView.render(ui.api().memory(ui.directory()), ui.theme()));
    }

    /** A list of the folder's, taking no arguments; a server too old for its route, or a config that does not load, said: never a crash of the UI. */
    private void folderList(String command, String what, String arguments, Supplier<List<AttributedString>> lines) {
        if (!arguments.isBlank()) {
            ui.error(command + " takes nothing");
            return;
        }
        try {
            ui.notice(lines.get());
        } catch (RuntimeException e) {
            ui.error("cannot list " + what + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    void cache() {
        if (ui.session().isEmpty()) {
            ui.notice("No requests yet in this session");
            return;
        }
        ui.notice(CacheView.render(ui.api().cache(ui.session().get().id()), ui.theme(), width.getAsInt()));
    }

    void cost() {
        if (ui.session().isEmpty()) {
            ui.notice("No requests yet in this session: $0");
            return;
        }
        SessionUsage usage = ui.api().usage(ui.session().get().id());
        Usage u = usage.usage();
        var lines = new ArrayList<AttributedString>();
        lines.add(ui.theme().paint(Role.HEADING, "Cost"));
        lines.add(new AttributedString("  session      " + Money.cost(usage.cost(), u, ui.session().get().importedFrom().isPresent()) + " over " + CostCounts.of(ui.api().messages(ui.session().get().id()))));
        lines.add(new AttributedString("  input        " + Footer.tokens(u.input())));
        lines.add(new AttributedString("  cache read   " + Footer.tokens(u.cacheRead())));
        lines.add(new AttributedString("  cache write  " + Footer.tokens(u.cacheWrite())));
        lines.add(new AttributedString("  output       " + Footer.tokens(u.output())));
        Footer.cacheRatio(u).ifPresent(r -> lines.add(new AttributedString("  cache hits   " + r + "% of prompt tokens served from the provider's cache")));
        var byModel = new LinkedHashMap<String, long[]>();
        for (MessageUsage m : usage.messages()) {
            long[] acc = byModel.computeIfAbsent(m.model(), _ -> new long[2]);
            acc[0] += m.cost();
            acc[1] += m.usage().total();
        }
        if (byModel.size() > 1) {
            byModel.forEach((model, acc) -> lines.add(new AttributedString("  " + model + "  " + (acc[0] == 0 && acc[1] > 0 ? Money.PRICE_UNKNOWN : Money.dollars(acc[0])) + " · " + Footer.tokens(acc[1]) + " tokens")));
        }
        ui.notice(lines);
    }

    /**
     * {@code /export [md|json]}: the session as Markdown (the default, to read or share) or as the JSON that
     * {@code lathe import} reads, written beside Lathe's own state (never into the project's work tree) under the
     * session's id; the notice says where.
     */
    void export(String arguments) {
        if (ui.session().isEmpty()) {
            ui.notice("Nothing to export yet");
            return;
        }
        String format = arguments.isBlank() ? "md" : arguments.strip().toLowerCase(Locale.ROOT);
        if (!format.equals("md") && !format.equals("markdown") && !format.equals("json")) {
            ui.error("/export takes md (the default) or json, not " + arguments.strip());
            return;
        }
        var id = ui.session().get().id();
        var export = ui.api().export(id);
        boolean json = format.equals("json");
        Path file = exports.resolve("lathe-" + id.value() + (json ? ".json" : ".md")).toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, json ? WireJson.write(export) : SessionMarkdown.of(export.session(), export.messages()));
            ui.notice("Exported to " + file + (json ? " (lathe import reads it back)" : " (/export json writes the file lathe import reads)"));
        } catch (IOException e) {
            ui.error("cannot write " + file + ": " + e.getMessage());
        }
    }
}
