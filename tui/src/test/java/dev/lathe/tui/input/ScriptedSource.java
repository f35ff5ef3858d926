package dev.lathe.tui.input;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A {@link CharSource} that replays strings and pauses. A pause makes the next timed read time out (a blocking read
 * just waits it out). After the script, {@link #of} reports the end of input; {@link #open} keeps the terminal
 * "open": timed reads time out and a blocking read fails the test, because a real terminal would hang there.
 */
final class ScriptedSource implements CharSource {
    static final Object PAUSE = new Object();

    private final Deque<Object> items = new ArrayDeque<>();
    private final boolean ends;

    private ScriptedSource(boolean ends, Object... parts) {
        this.ends = ends;
        for (Object part : parts) {
            if (part == PAUSE) items.add(PAUSE);
            else ((String) part).chars().forEach(items::add);
        }
    }

    static ScriptedSource of(Object... parts) { return new ScriptedSource(true, parts); }

    static ScriptedSource open(Object... parts) { return new ScriptedSource(false, parts); }

    @Override
    public int read(long timeoutMillis) {
        while (items.peek() == PAUSE) {
            items.pop();
            if (timeoutMillis > 0) return TIMEOUT;
        }
        if (!items.isEmpty()) return (Integer) items.pop();
        if (ends) return EOF;
        if (timeoutMillis > 0) return TIMEOUT;
        throw new AssertionError("a blocking read after the script: a real terminal would wait here for the next key");
    }
}
