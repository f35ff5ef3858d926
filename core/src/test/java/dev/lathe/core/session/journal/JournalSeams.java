package dev.lathe.core.session.journal;

import dev.lathe.protocol.SessionId;

/** What the session tests (in core.session, above this room) ask of the journal's package-private members. */
public final class JournalSeams {
    private JournalSeams() {}

    public static boolean holds(Journal journal, SessionId id) { return journal.holds(id); }
}
