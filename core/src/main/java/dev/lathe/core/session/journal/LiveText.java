package dev.lathe.core.session.journal;

/**
 * The text of a part while it streams: appended to by the turn, read whole by other threads (a client's snapshot of
 * the session, {@link StreamingTexts}), so a snapshot holds every character announced before it, not only those the
 * last periodic write stored. Lengths count UTF-16 units, as the announced offsets do (and as JavaScript does).
 */
public final class LiveText {
    private final StringBuilder text = new StringBuilder();

    /** Appends {@code more} and returns the length before it: the offset at which it was added. */
    public synchronized int append(String more) {
        int at = text.length();
        text.append(more);
        return at;
    }

    public synchronized int length() { return text.length(); }

    @Override
    public synchronized String toString() { return text.toString(); }
}
