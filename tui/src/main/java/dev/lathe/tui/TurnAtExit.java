package dev.lathe.tui;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import dev.lathe.protocol.session.SessionStatus;

/** What the session's turn does as the terminal UI leaves: the farewell's first sentence. */
enum TurnAtExit {
    NONE(""),
    RUNNING("The turn goes on in the server. "),
    STOPPED("The server was stopped (lathe stop); the session is saved. "),
    UNREACHABLE("The server is not reachable; the session is saved. ");

    private final String sentence;

    TurnAtExit(String sentence) { this.sentence = sentence; }

    String sentence() { return sentence; }

    /** What the server says of session {@code id}'s turn now: asked as the UI leaves, never guessed from the last event. */
    static TurnAtExit of(ServerWatch watch, LatheApi api, SessionId id) {
        if (watch.stoppedOnPurpose()) return STOPPED;
        if (!watch.connected()) return UNREACHABLE;
        try {
            return api.status(id) instanceof SessionStatus.Idle ? NONE : RUNNING;
        } catch (RuntimeException e) {
            return UNREACHABLE;
        }
    }
}
