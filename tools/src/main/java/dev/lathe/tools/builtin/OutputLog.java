package dev.lathe.tools.builtin;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Output of a running command, capped in memory: past {@link #MAX} bytes the oldest half is dropped (the tail is what
 * matters for commands). Positions count every byte ever written, so a reader can ask for what came after its last read.
 */
final class OutputLog {
    static final int MAX = 4 * 1024 * 1024;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private long dropped;

    synchronized void append(byte[] buf, int n) {
        if (bytes.size() + n > MAX) {
            byte[] all = bytes.toByteArray();
            int keep = Math.min(all.length, MAX / 2);
            bytes.reset();
            bytes.write(all, all.length - keep, keep);
            dropped += all.length - keep;
        }
        bytes.write(buf, 0, n);
    }

    /** Everything kept, with a note when the start was dropped. */
    synchronized String text() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        return dropped > 0 ? "(earlier output dropped)\n" + s : s;
    }

    /** At most the last {@code max} bytes (live previews must stay small whatever the command prints). */
    synchronized String tail(int max) {
        byte[] all = bytes.toByteArray();
        if (all.length <= max) return text();
        return "…\n" + new String(all, all.length - max, max, StandardCharsets.UTF_8);
    }

    /** Total bytes written so far. */
    synchronized long end() { return dropped + bytes.size(); }

    /** What was written from position {@code from} on; {@code skipped} counts bytes lost to the cap in between. */
    synchronized Slice since(long from) {
        long start = Math.max(from, dropped);
        byte[] all = bytes.toByteArray();
        int offset = (int) (start - dropped);
        return new Slice(new String(all, offset, all.length - offset, StandardCharsets.UTF_8), start - from, dropped + all.length);
    }

    record Slice(String text, long skipped, long end) {}
}
