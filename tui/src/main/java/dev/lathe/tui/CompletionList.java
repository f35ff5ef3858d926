package dev.lathe.tui;

import dev.lathe.tui.input.CompletionQuery;
import dev.lathe.tui.view.Picker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The completion list under the input: files and MCP resources after {@code @}, commands after {@code /}. It changes its
 * state (the word it completes and the list it offers, kept in {@link OpenViews}) and reaches the rest of the UI only
 * through {@link Host}.
 */
final class CompletionList {
    /** What the list needs from the UI: the prompt it completes and the lists it offers. */
    interface Host {
        PromptState input();

        void input(PromptState now);

        /** The folder's files matching {@code query}, at most {@code limit} (none when the server cannot be asked). */
        List<String> files(String query, int limit);

        /** The folder's MCP resources: {@code @server:uri}. */
        ResourceCompletion resources();

        /** The commands completing {@code query}, the server's asked again when {@code fresh}. */
        List<Picker.Item<String>> commands(String query, boolean fresh);

        /** A file the prompt mentions: sent with it as a file part. */
        void mentioned(String path);
    }

    /** The word being completed and the list offered for it; both empty when the list is closed. */
    record State(Optional<CompletionQuery> query, Optional<Picker<String>> list) {
        static final State CLOSED = new State(Optional.empty(), Optional.empty());

        boolean open() { return list.isPresent(); }

        /** Whether Enter on the list completes a command's name (which then runs at once). */
        boolean completesCommand() { return query.filter(CompletionQuery.Command.class::isInstance).isPresent(); }
    }

    private static final int ROWS = 8;

    private final Host host;
    /** Where the list's state is kept: with the other views over the prompt, so opening one of them closes the list. */
    private final OpenViews views;

    CompletionList(Host host, OpenViews views) {
        this.host = host;
        this.views = views;
    }

    State state() { return views.completion(); }

    /** After the input changed: opens, refreshes or closes the list for the word at the cursor. */
    void refresh() {
        Optional<CompletionQuery> q = host.input().editor().completionQuery();
        if (q.isEmpty()) {
            close();
            return;
        }
        State state = views.completion();
        if (q.equals(state.query())) return;
        // a new word (not the same one typed on): server lists are asked again, so what connected since is offered
        boolean fresh = state.query().map(previous -> previous.start() != q.get().start() || previous.getClass() != q.get().getClass()).orElse(true);
        List<Picker.Item<String>> items = switch (q.get()) {
            case CompletionQuery.File f -> {
                if (fresh) host.resources().refresh();
                List<Picker.Item<String>> files = host.files(f.query(), ROWS).stream().map(path -> new Picker.Item<>("@" + path + " ", path, "")).toList();
                List<Picker.Item<String>> mcp = host.resources().items(f.query(), ROWS);
                var both = new ArrayList<Picker.Item<String>>(f.query().contains(":") ? mcp : files);
                both.addAll(f.query().contains(":") ? files : mcp);
                yield both;
            }
            case CompletionQuery.Command c -> host.commands(c.query(), fresh);
        };
        views.completion(new State(q, items.isEmpty() ? Optional.empty() : Optional.of(new Picker<>("", "", items, ROWS, false))));
    }

    /** Puts the chosen item in place of the word; the list closes and does not reopen for the text just accepted. */
    void accept() {
        State state = views.completion();
        if (state.list().isEmpty() || state.query().isEmpty()) return;
        Optional<String> choice = state.list().get().chosen();
        CompletionQuery q = state.query().get();
        choice.ifPresent(text -> {
            switch (q) {
                case CompletionQuery.File f -> {
                    host.input(host.input().edited(e -> e.replace(f.start(), f.end(), text)));
                    // an MCP resource is read by the server from the text; only a file becomes a file part
                    if (!host.resources().isResource(text)) host.mentioned(text.substring(1).strip());
                }
                case CompletionQuery.Command c -> host.input(host.input().edited(e -> e.replace(c.start(), c.end(), text)));
            }
        });
        views.completion(new State(host.input().editor().completionQuery(), Optional.empty()));
    }

    void close() { views.completion(State.CLOSED); }
}
