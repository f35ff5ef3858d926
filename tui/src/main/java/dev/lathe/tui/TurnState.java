package dev.lathe.tui;

import java.util.OptionalLong;
import dev.lathe.protocol.session.SessionStatus;

/**
 * The open session's turn as the UI's loop knows it: the server's status, when the turn began and when the session
 * last began waiting for an answer (both by this client's clock, for the status line's seconds), and whether this UI
 * already asked to stop it. Each signal about the turn makes the next record through one of the methods below, so a
 * test can stream a turn's statuses through it without a server.
 *
 * @param busySince epoch millis the running turn began
 * @param waitingSince epoch millis the session last began waiting for an answer to an ask; 0: never yet
 */
record TurnState(SessionStatus status, long busySince, long waitingSince, boolean abortSent) {
    static TurnState idle() { return new TurnState(new SessionStatus.Idle(), 0, 0, false); }

    boolean busy() { return !(status instanceof SessionStatus.Idle); }

    /** What the status line counts from: the wait for an answer while one is asked, else the turn. */
    long shownSince() { return status instanceof SessionStatus.Waiting && waitingSince > 0 ? waitingSince : busySince; }

    /**
     * As {@link #shownSince()}, but while the session waits, from when the ask on screen was raised ({@code askedAt},
     * the server's time of it) where one is: a second ask left open after the first was answered, or an ask already
     * waiting when this UI attached, counts its own wait, not the session's (issue 82). A time after {@code now} (a
     * server's clock ahead of this one) is not trusted.
     */
    long shownSince(OptionalLong askedAt, long now) {
        if (status instanceof SessionStatus.Waiting && askedAt.isPresent() && askedAt.getAsLong() > 0 && askedAt.getAsLong() <= now) {
            return askedAt.getAsLong();
        }
        return shownSince();
    }

    /** A session attached: its status as the server has it, its turn counted from {@code turnStart}. */
    TurnState attached(SessionStatus now, long turnStart) { return new TurnState(now, turnStart, waitingSince, false); }

    /** The status as the server said it when asked (a poll, a new session), nothing else changed. */
    TurnState withStatus(SessionStatus now) { return new TurnState(now, busySince, waitingSince, abortSent); }

    /**
     * A status event: a turn that starts is counted from now, each ask's wait from when it came (not from the turn's
     * start, nor an earlier ask's), and a turn that ended can be stopped again next time.
     */
    TurnState statusChanged(SessionStatus now, long at) {
        var next = new TurnState(now, busySince, waitingSince, abortSent);
        boolean starts = !busy() && next.busy();
        boolean waits = !(status instanceof SessionStatus.Waiting) && now instanceof SessionStatus.Waiting;
        return new TurnState(now, starts ? at : busySince, waits ? at : waitingSince, next.busy() && abortSent);
    }

    /** Events were missed: the status as stored, a turn that started meanwhile counted from {@code turnStart}. */
    TurnState resynced(SessionStatus now, long turnStart) {
        var next = withStatus(now);
        return !busy() && next.busy() ? new TurnState(now, turnStart, waitingSince, abortSent) : next;
    }

    /**
     * A prompt is being sent: an idle session is busy before the request returns (its events may come first); a busy
     * one queues the message and its turn goes on as it was.
     */
    TurnState sending(long at) { return busy() ? this : new TurnState(new SessionStatus.Busy(), at, waitingSince, false); }

    /** The prompt sent from idle was refused: no turn runs, so no spinner either. */
    TurnState refused() { return new TurnState(new SessionStatus.Idle(), busySince, waitingSince, abortSent); }

    /** This UI asked the server to stop the turn: the status line says "aborting…" until it ends. */
    TurnState aborting() { return new TurnState(status, busySince, waitingSince, true); }
}
