package dev.lathe.term;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A stream to a terminal that lets no control through ({@link VisibleControls#stream}): for {@code lathe run}'s text
 * on a terminal, and its messages on standard error. Works on the bytes the print stream encodes, so every way of
 * printing is covered (print, printf, write). In UTF-8 a character split across two writes is held until it is whole,
 * and a closing {@code CR} until the next character says whether it is a CRLF line end. In a single-byte charset (a
 * terminal without a UTF-8 locale) each byte is a character, and 0x80–0x9F count as C1 controls.
 */
public final class TerminalSafeStream extends FilterOutputStream {
    /** How a control is written: as its picture ({@code ␛}, for text) or as its JSON escape ({@code \u001b}, for JSON). */
    private enum Shown { PICTURE, JSON_ESCAPE }

    private final Charset charset;
    private final boolean utf8;
    private final Shown form;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(4);
    private int expected;
    private boolean heldCr;

    private TerminalSafeStream(OutputStream out, Charset charset, Shown form) {
        // buffered: bytes are looked at one by one; the print stream flushes after every print, so nothing waits
        super(new java.io.BufferedOutputStream(out, 8192));
        this.charset = charset;
        this.utf8 = charset.equals(StandardCharsets.UTF_8);
        this.form = form;
    }

    /** {@code raw} wrapped so no control reaches the terminal, in {@code raw}'s charset; flushes at each newline. */
    public static PrintStream of(PrintStream raw) {
        return of(raw, raw.charset());
    }

    /** {@code raw} wrapped so no control reaches the terminal, written in {@code charset}; flushes at each newline. */
    public static PrintStream of(PrintStream raw, Charset charset) {
        return new PrintStream(new TerminalSafeStream(raw, charset, Shown.PICTURE), true, charset);
    }

    /**
     * {@code raw} wrapped for JSON text ({@code lathe run --format json|stream-json}): every control written as its JSON
     * escape ({@link VisibleControls#json}), so the JSON's value is unchanged and nothing in it reaches a terminal raw.
     */
    public static PrintStream json(PrintStream raw) {
        return json(raw, raw.charset());
    }

    /** {@link #json(PrintStream)}, written in {@code charset}. */
    public static PrintStream json(PrintStream raw, Charset charset) {
        return new PrintStream(new TerminalSafeStream(raw, charset, Shown.JSON_ESCAPE), true, charset);
    }

    /**
     * Whether standard output is a terminal (then text printed to it must pass this stream), as opposed to a pipe or a
     * file, where the data stays exact. Standard input plays no part ({@code echo text | lathe run} still prints on the
     * terminal): on Linux the answer is where {@code /proc/self/fd/1} leads; elsewhere the console's own answer.
     */
    public static boolean stdoutIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            var console = System.console();
            return console != null && console.isTerminal();
        }
    }

    @Override
    public void write(int b) throws IOException {
        int v = b & 0xff;
        if (!utf8) {
            character(v, new byte[] {(byte) v});
            return;
        }
        if (pending.size() > 0 && (v & 0xc0) != 0x80) showBroken();
        if (pending.size() == 0) {
            if (v < 0x80) {
                character(v, new byte[] {(byte) v});
            } else if (v < 0xc2 || v > 0xf4) {
                showByte(v);  // not UTF-8: a stray continuation byte or an impossible lead
            } else {
                expected = v >= 0xf0 ? 4 : v >= 0xe0 ? 3 : 2;
                pending.write(v);
            }
            return;
        }
        pending.write(v);
        if (pending.size() < expected) return;
        byte[] bytes = pending.toByteArray();
        pending.reset();
        character(new String(bytes, StandardCharsets.UTF_8).codePointAt(0), bytes);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    private void character(int cp, byte[] bytes) throws IOException {
        if (heldCr) {
            heldCr = false;
            if (cp == '\n') {
                out.write('\r');
                out.write('\n');
                return;
            }
            show(shown('\r'));
        }
        if (cp == '\r' && form == Shown.PICTURE) heldCr = true;
        else if (cp != '\n' && cp != '\t' && VisibleControls.isControl(cp)) show(shown(cp));
        else out.write(bytes);
    }

    /** A UTF-8 sequence cut short by a byte that does not continue it: its bytes shown as {@code \xC3}. */
    private void showBroken() throws IOException {
        byte[] broken = pending.toByteArray();
        pending.reset();
        for (byte x : broken) showByte(x & 0xff);
    }

    private void showByte(int v) throws IOException {
        show(String.format("\\x%02X", v));
    }

    /** {@link VisibleControls#visible}, or in a charset without the control pictures, {@code <U+001B>}. */
    private String shown(int cp) {
        if (form == Shown.JSON_ESCAPE) return VisibleControls.jsonEscape(cp);
        return utf8 ? VisibleControls.visible(cp) : String.format("<U+%04X>", cp);
    }

    private void show(String visible) throws IOException {
        out.write(visible.getBytes(charset));
    }

    @Override
    public void close() throws IOException {
        if (heldCr) show(shown('\r'));
        heldCr = false;
        if (pending.size() > 0) showBroken();
        super.close();
    }
}
