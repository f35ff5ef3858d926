package dev.lathe.tui;

import dev.lathe.tui.view.Picker;
import java.util.List;

/** The completion list's view of the UI: the prompt, the folder's files and resources, the commands. */
record UiCompletionHost(Ui ui) implements CompletionList.Host {
    @Override public PromptState input() { return ui.composer.state(); }

    @Override public void input(PromptState now) { ui.composer.state(now); }

    @Override
    public List<String> files(String query, int limit) {
        // the server lists files of its projects only (issue 40): a folder becomes one with its first session
        return Ui.safe(() -> {
            ui.ensureSession();
            return ui.api().findFiles(ui.directory, query, limit);
        });
    }

    @Override public ResourceCompletion resources() { return ui.resources; }

    @Override
    public List<Picker.Item<String>> commands(String query, boolean fresh) {
        if (fresh) ui.commands.refreshServerCommands();
        return ui.commands.complete(query);
    }

    @Override public void mentioned(String path) { ui.composer.mention(path); }
}
