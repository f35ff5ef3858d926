package dev.lathe.lsp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The last few kilobytes a server wrote to stderr, read on a virtual thread of its own (a full pipe would stall the
 * server): what a status shows when the server dies.
 */
final class StderrTail {
    private static final int KEEP = 4096;
    private final StringBuilder tail = new StringBuilder();
    private final Thread reader;

    StderrTail(InputStream stderr, String name) {
        reader = Thread.ofVirtual().name("lsp-stderr-" + name).start(() -> drain(stderr));
    }

    /** Waits up to {@code millis} for the stream's end (the process exited: its last words may still be in the pipe). */
    void awaitEnd(long millis) {
        try {
            reader.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain(InputStream in) {
        byte[] buf = new byte[4096];
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                synchronized (tail) {
                    tail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (tail.length() > KEEP) tail.delete(0, tail.length() - KEEP);
                }
            }
        } catch (IOException e) {
            // the server is gone: what was read is the tail
        }
    }

    /** The last non-blank lines, joined, at most {@code max} characters (empty when the server wrote nothing). */
    String last(int max) {
        String text;
        synchronized (tail) {
            text = tail.toString().strip();
        }
        return text.length() <= max ? text : "…" + text.substring(text.length() - max);
    }
}
