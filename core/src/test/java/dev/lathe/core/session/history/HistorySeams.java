package dev.lathe.core.session.history;

/** What the session tests (in core.session, above this room) call of the history room's package-private members. */
public final class HistorySeams {
    private HistorySeams() {}

    public static String forkTitle(String title) { return Forks.title(title); }
}
