package dev.lathe.app;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard error of a team node ({@code lathe serve --store}, DESIGN §20): every line begins with {@code [NODE] }, so
 * the logs of several nodes read side by side (a journal, a log collector) say which node wrote each line, stack
 * traces and the JVM's own uncaught-exception reports included. Installed for the whole process rather than in the log
 * format, because not every line comes through a {@link System.Logger}. The embedded default keeps its stream as it is.
 */
final class NodeTaggedStream extends FilterOutputStream {
    private final byte[] tag;
    private boolean lineStart = true;

    private NodeTaggedStream(OutputStream out, String node) {
        super(out);
        this.tag = ("[" + node + "] ").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code target} with every line tagged with {@code node}; flushed at each line end, as standard error is. */
    static PrintStream of(OutputStream target, String node) {
        return new PrintStream(new NodeTaggedStream(target, node), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (lineStart) out.write(tag);
        out.write(b);
        lineStart = b == '\n';
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        for (int from = off; from < end; ) {
            if (lineStart) out.write(tag);
            int newline = from;
            while (newline < end && b[newline] != '\n') newline++;
            int upTo = Math.min(end, newline + 1);
            out.write(b, from, upTo - from);
            lineStart = newline < end;
            from = upTo;
        }
    }
}
