package dev.lathe.run.github;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The job's log with the token taken out: what {@code lathe github run} prints (the model's streamed answer included)
 * is held a line at a time and written with every occurrence of the token as {@code ***}. Whole lines only, so a token
 * streamed in pieces is still whole when it is masked.
 */
final class TokenMask extends OutputStream {
    private final PrintStream out;
    private final String token;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private TokenMask(PrintStream out, String token) {
        this.out = out;
        this.token = token;
    }

    /** {@code log} with {@code token} masked. */
    static PrintStream of(PrintStream log, String token) {
        return new PrintStream(new TokenMask(log, token), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n') emit();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    /** A partial line stays held (the rest of a token may follow); it is written at close. */
    @Override
    public void flush() {}

    @Override
    public synchronized void close() throws IOException {
        emit();
        out.flush();
    }

    private void emit() throws IOException {
        if (line.size() == 0) return;
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        // as text, so the log's own encoding and sanitiser apply to it
        out.print(token.isEmpty() ? text : text.replace(token, "***"));
        out.flush();
    }
}
