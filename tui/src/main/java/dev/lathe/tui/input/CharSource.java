package dev.lathe.tui.input;

import java.io.IOException;

/**
 * Where {@link KeyDecoder} reads characters from. The contract is that of JLine's
 * {@code NonBlockingReader.read(long)}, so the controller adapts the terminal's reader with
 * {@code terminal.reader()::read}; tests script it with strings and pauses.
 */
@FunctionalInterface
public interface CharSource {
    /** Returned by {@link #read} at the end of input. */
    int EOF = -1;
    /** Returned by {@link #read} when nothing arrived within the timeout. */
    int TIMEOUT = -2;

    /**
     * The next UTF-16 char, {@link #EOF} or {@link #TIMEOUT}.
     *
     * @param timeoutMillis how long to wait; {@code 0} waits until a char arrives or the input ends
     */
    int read(long timeoutMillis) throws IOException;
}
