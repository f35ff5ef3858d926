package dev.lathe.tui;

import dev.lathe.tui.view.Picker;
import java.util.List;

/**
 * The completion list's view of the UI: the prompt (the composer), the folder's files ({@code files}) and resources,
 * the commands.
 *
 * @param files the folder's files matching a query, at most a limit (none when the server cannot be asked)
 */
record UiCompletionHost(Composer composer, FileSearch files, ResourceCompletion resources, Commands commands) implements CompletionList.Host {
    /** The folder's files as the server finds them. */
    @FunctionalInterface
    interface FileSearch {
        List<String> find(String query, int limit);
    }

    @Override public PromptState input() { return composer.state(); }

    @Override public void input(PromptState now) { composer.state(now); }

    @Override public List<String> files(String query, int limit) { return files.find(query, limit); }

    @Override
    public List<Picker.Item<String>> commands(String query, boolean fresh) {
        if (fresh) commands.refreshServerCommands();
        return commands.complete(query);
    }

    @Override public void mentioned(String path) { composer.mention(path); }
}
