package dev.lathe.tui;

import java.nio.file.Path;

/**
 * What the terminal UI keeps in the user's state folder beside its input history: {@code /export}'s files, the models
 * chosen lately, and the session last shown in each folder.
 */
record StateFiles(Path exports, RecentModels recentModels, LastShown lastShown) {
    /** The files beside {@code historyFile}. */
    static StateFiles beside(Path historyFile) {
        return new StateFiles(historyFile.resolveSibling("exports"), new RecentModels(historyFile.resolveSibling("recent-models")),
                new LastShown(historyFile.resolveSibling("last-sessions")));
    }
}
