package dev.lathe.tui;

import dev.lathe.tui.input.CompletionQuery;
import dev.lathe.tui.view.Picker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The completion list under the input: files and MCP resources after {@code @}, commands after {@code /}. Its state
 * ({@code completion}, {@code completionFor}) stays in {@link Ui}, which the key handler reads.
 */
final class CompletionList {
    private final Ui ui;

    CompletionList(Ui ui) { this.ui = ui; }

    void refresh() {
        Optional<CompletionQuery> q = ui.input.editor().completionQuery();
        if (q.isEmpty()) {
            close();
            return;
        }
        if (q.equals(ui.completionFor)) return;
        // a new word (not the same one typed on): server lists are asked again, so what connected since is offered
        boolean fresh = ui.completionFor.map(previous -> previous.start() != q.get().start() || previous.getClass() != q.get().getClass()).orElse(true);
        ui.completionFor = q;
        List<Picker.Item<String>> items = switch (q.get()) {
            case CompletionQuery.File f -> {
                if (fresh) ui.resources.refresh();
                // the server lists files of its projects only (issue 40): a folder becomes one with its first session
                List<Picker.Item<String>> files = ui.safe(() -> {
                    ui.ensureSession();
                    return ui.api.findFiles(ui.directory, f.query(), 8);
                }).stream()
                        .map(path -> new Picker.Item<>("@" + path + " ", path, "")).toList();
                List<Picker.Item<String>> mcp = ui.resources.items(f.query(), 8);
                var both = new ArrayList<Picker.Item<String>>(f.query().contains(":") ? mcp : files);
                both.addAll(f.query().contains(":") ? files : mcp);
                yield both;
            }
            case CompletionQuery.Command c -> {
                if (fresh) ui.commands.refreshServerCommands();
                yield ui.commands.complete(c.query());
            }
        };
        ui.completion = items.isEmpty() ? Optional.empty() : Optional.of(new Picker<>("", "", items, 8, false));
    }

    void accept() {
        if (ui.completion.isEmpty() || ui.completionFor.isEmpty()) return;
        Optional<String> choice = ui.completion.get().chosen();
        CompletionQuery q = ui.completionFor.get();
        close();
        choice.ifPresent(text -> {
            switch (q) {
                case CompletionQuery.File f -> {
                    ui.input = ui.input.edited(e -> e.replace(f.start(), f.end(), text));
                    // an MCP resource is read by the server from the text; only a file becomes a file part
                    if (!ui.resources.isResource(text)) ui.mentioned.add(text.substring(1).strip());
                }
                case CompletionQuery.Command c -> ui.input = ui.input.edited(e -> e.replace(c.start(), c.end(), text));
            }
        });
        ui.completionFor = ui.input.editor().completionQuery();  // do not reopen for the text just accepted
    }

    void close() {
        ui.completion = Optional.empty();
        ui.completionFor = Optional.empty();
    }

}
