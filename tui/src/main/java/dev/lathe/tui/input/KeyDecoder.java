package dev.lathe.tui.input;

import dev.lathe.tui.input.KeyEvent.Char;
import dev.lathe.tui.input.KeyEvent.Ctrl;
import dev.lathe.tui.input.KeyEvent.Modifier;
import dev.lathe.tui.input.KeyEvent.Name;
import dev.lathe.tui.input.KeyEvent.Paste;
import dev.lathe.tui.input.KeyEvent.Special;
import dev.lathe.tui.input.KeyEvent.Unknown;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jline.utils.ClosedException;

/**
 * Decodes the character stream of a raw-mode terminal into {@link KeyEvent}s: C0 control bytes, ESC-prefixed Alt
 * keys, CSI and SS3 sequences (xterm modifiers, kitty CSI-u, xterm modifyOtherKeys) and bracketed paste.
 *
 * <p>Contract: {@link #next()} blocks only while waiting for the <em>first</em> character of an event. Once a
 * sequence has started every further read is bounded by the escape timeout (or the paste timeout inside a paste),
 * so a truncated sequence yields {@link Unknown} instead of hanging, and its bytes never come back as text. A lone
 * ESC is {@link Name#ESCAPE} once nothing follows within the escape timeout. Call from one thread (the input
 * thread); the decoder keeps a little state between calls (a pushed-back character).
 */
public final class KeyDecoder {
    /**
     * How long a byte after ESC may take to count as part of the same key (tmux uses 10–500 ms; vim's defaults.vim
     * 100). 50 ms split PageUp into a lone Esc, which rejected an open ask, and "[5~" typed into the input, on a CI
     * machine at load 10 (PermissionAsksIT): JLine's pump thread, not the decoder, was the one kept waiting.
     */
    public static final Duration ESCAPE_TIMEOUT = Duration.ofMillis(100);
    /** How long a bracketed paste may stall before what arrived is delivered without its end marker. */
    public static final Duration PASTE_TIMEOUT = Duration.ofMillis(1000);

    /** A timed read that returns this much later than asked was paused rather than answered by silence. */
    private static final long STALL_SLACK_MILLIS = 20;

    private static final int ESC = 0x1b;
    private static final int MAX_SEQUENCE = 64;
    private static final String PASTE_END = "\u001b[201~";

    private final CharSource source;
    private final long escapeMillis;
    private final long pasteMillis;
    private final ArrayDeque<Integer> pushedBack = new ArrayDeque<>();

    public KeyDecoder(CharSource source) {
        this(source, ESCAPE_TIMEOUT, PASTE_TIMEOUT);
    }

    /** A decoder with other timeouts (both must be positive: a zero timeout would mean "wait forever"). */
    public KeyDecoder(CharSource source, Duration escapeTimeout, Duration pasteTimeout) {
        if (escapeTimeout.toMillis() <= 0 || pasteTimeout.toMillis() <= 0) {
            throw new IllegalArgumentException("timeouts must be at least 1 ms");
        }
        this.source = source;
        this.escapeMillis = escapeTimeout.toMillis();
        this.pasteMillis = pasteTimeout.toMillis();
    }

    /**
     * The next key, blocking until one arrives; empty once the input has ended, which includes the source being
     * closed (JLine's reader throws {@code ClosedException} then; closing the terminal is how another thread stops
     * the input loop).
     *
     * @throws UncheckedIOException when the source fails otherwise
     */
    public Optional<KeyEvent> next() {
        int c = read(0);
        if (c == CharSource.EOF) return Optional.empty();
        return Optional.of(c == ESC ? afterEscape() : single(c, false));
    }

    /** A character that is not ESC, optionally with Alt because an ESC came first. */
    private KeyEvent single(int c, boolean alt) {
        return switch (c) {
            case '\r' -> special(Name.ENTER, alt);
            case '\t' -> special(Name.TAB, alt);
            case 0x7f, 0x08 -> special(Name.BACKSPACE, alt);
            case '\n' -> new Ctrl('j', alt);
            case 0x00 -> new Ctrl(' ', alt);
            case 0x1c -> new Ctrl('\\', alt);
            case 0x1d -> new Ctrl(']', alt);
            case 0x1e -> new Ctrl('^', alt);
            case 0x1f -> new Ctrl('_', alt);
            default -> {
                if (c < 0x20) yield new Ctrl((char) ('a' + c - 1), alt);
                if (c < 0xa0 && c >= 0x80) yield new Unknown(prefix(alt) + (char) c);
                if (Character.isHighSurrogate((char) c)) yield surrogatePair((char) c, alt);
                if (Character.isLowSurrogate((char) c)) yield new Unknown(prefix(alt) + (char) c);
                yield new Char(c, alt);
            }
        };
    }

    private KeyEvent surrogatePair(char high, boolean alt) {
        int low = read(escapeMillis);
        if (low >= 0 && Character.isLowSurrogate((char) low)) return new Char(Character.toCodePoint(high, (char) low), alt);
        pushBack(low);
        return new Unknown(prefix(alt) + high);
    }

    private KeyEvent afterEscape() {
        int c = read(escapeMillis);
        if (c < 0) {
            pushBack(c);
            return special(Name.ESCAPE, false);
        }
        return switch (c) {
            case '[' -> csi();
            case 'O' -> ss3();
            case ESC -> {
                // A second ESC starts a key of its own (the user pressed Escape twice).
                pushBack(c);
                yield special(Name.ESCAPE, false);
            }
            default -> single(c, true);
        };
    }

    /** After {@code ESC [}: parameter bytes, intermediate bytes, one final byte (ECMA-48 §5.4). */
    private KeyEvent csi() {
        var seq = new StringBuilder("\u001b[");
        int c = read(escapeMillis);
        if (c < 0) {
            // ESC [ and then silence is Alt+[ typed by hand, not a sequence.
            pushBack(c);
            return Char.withAlt('[');
        }
        var params = new StringBuilder();
        boolean malformed = false;
        boolean intermediates = false;
        // Keep consuming parameter and intermediate bytes even past MAX_SEQUENCE so an over-long sequence is
        // swallowed whole; the cap on reads only guards against a source that never stops sending digits.
        for (int reads = 0; c >= 0x20 && c <= 0x3f && reads < 4096; reads++) {
            if (c <= 0x2f) intermediates = true;
            else if (intermediates) malformed = true;
            else params.append((char) c);
            if (seq.length() < MAX_SEQUENCE) seq.append((char) c);
            else malformed = true;
            c = read(escapeMillis);
        }
        if (c < 0x40 || c > 0x7e) {
            // Timed out, ended, or a byte that cannot be part of a CSI: give up on the sequence and let that byte
            // be read again as a key of its own.
            pushBack(c);
            return new Unknown(seq.toString());
        }
        seq.append((char) c);
        if (intermediates || malformed) return new Unknown(seq.toString());
        return csiKey(params.toString(), (char) c, seq.toString());
    }

    private KeyEvent csiKey(String params, char fin, String seq) {
        if (!params.isEmpty() && "<=>?".indexOf(params.charAt(0)) >= 0) return new Unknown(seq);
        int[] p = numbers(params);
        if (p.length == 0) return new Unknown(seq);
        Set<Modifier> mods = p.length > 1 ? modifiers(p[1]) : EnumSet.noneOf(Modifier.class);
        return switch (fin) {
            case 'A' -> new Special(Name.UP, mods);
            case 'B' -> new Special(Name.DOWN, mods);
            case 'C' -> new Special(Name.RIGHT, mods);
            case 'D' -> new Special(Name.LEFT, mods);
            case 'H' -> new Special(Name.HOME, mods);
            case 'F' -> new Special(Name.END, mods);
            case 'P' -> new Special(Name.F1, mods);
            case 'Q' -> new Special(Name.F2, mods);
            case 'R' -> new Special(Name.F3, mods);
            case 'S' -> new Special(Name.F4, mods);
            case 'Z' -> {
                var shifted = EnumSet.of(Modifier.SHIFT);
                shifted.addAll(mods);
                yield new Special(Name.TAB, shifted);
            }
            case '~' -> tilde(p, mods, seq);
            case 'u' -> p.length > 0 && p[0] >= 0 ? codePointKey(p[0], mods, seq) : new Unknown(seq);
            default -> new Unknown(seq);
        };
    }

    /** {@code CSI n ~} and {@code CSI n ; m ~}: the VT220 editing keys, function keys, paste and modifyOtherKeys. */
    private KeyEvent tilde(int[] p, Set<Modifier> mods, String seq) {
        Name name = switch (p[0]) {
            case 1, 7 -> Name.HOME;
            case 2 -> Name.INSERT;
            case 3 -> Name.DELETE;
            case 4, 8 -> Name.END;
            case 5 -> Name.PAGE_UP;
            case 6 -> Name.PAGE_DOWN;
            case 11 -> Name.F1;
            case 12 -> Name.F2;
            case 13 -> Name.F3;
            case 14 -> Name.F4;
            case 15 -> Name.F5;
            case 17 -> Name.F6;
            case 18 -> Name.F7;
            case 19 -> Name.F8;
            case 20 -> Name.F9;
            case 21 -> Name.F10;
            case 23 -> Name.F11;
            case 24 -> Name.F12;
            default -> null;
        };
        if (name != null) return new Special(name, mods);
        if (p[0] == 200) return paste();
        // xterm modifyOtherKeys: CSI 27 ; modifiers ; code ~
        if (p[0] == 27 && p.length >= 3 && p[2] >= 0) return codePointKey(p[2], mods, seq);
        return new Unknown(seq);
    }

    /** A key reported as a Unicode code point plus modifiers (kitty CSI-u, modifyOtherKeys). */
    private static KeyEvent codePointKey(int code, Set<Modifier> mods, String seq) {
        boolean alt = mods.contains(Modifier.ALT);
        boolean ctrl = mods.contains(Modifier.CTRL);
        switch (code) {
            case 13 -> { return new Special(Name.ENTER, mods); }
            case 9 -> { return new Special(Name.TAB, mods); }
            case 27 -> { return new Special(Name.ESCAPE, mods); }
            case 8, 127 -> { return new Special(Name.BACKSPACE, mods); }
            default -> { }
        }
        if (code < 0x20 || code == 0x7f || code > Character.MAX_CODE_POINT || (code >= 0xd800 && code <= 0xdfff)
                || Character.getType(code) == Character.PRIVATE_USE) {
            // Kitty reports keypad and media keys as private-use code points; none of them is bound here.
            return new Unknown(seq);
        }
        if (ctrl) {
            if (code >= 'a' && code <= 'z') return new Ctrl((char) code, alt);
            if (code >= 'A' && code <= 'Z') return new Ctrl(Character.toLowerCase((char) code), alt);
            return switch (code) {
                case ' ', '@' -> new Ctrl(' ', alt);
                case '\\', ']', '^', '_' -> new Ctrl((char) code, alt);
                default -> new Unknown(seq);
            };
        }
        if (mods.contains(Modifier.SHIFT) && Character.isLowerCase(code)) return new Char(Character.toUpperCase(code), alt);
        return new Char(code, alt);
    }

    /** After {@code ESC O}: application-mode cursor keys, keypad Enter and F1–F4 (some send a modifier digit first). */
    private KeyEvent ss3() {
        int c = read(escapeMillis);
        if (c < 0) {
            pushBack(c);
            return Char.withAlt('O');
        }
        var seq = new StringBuilder("\u001bO");
        int modifier = 1;
        if (c >= '1' && c <= '9') {
            seq.append((char) c);
            modifier = c - '0';
            c = read(escapeMillis);
            if (c < 0) {
                pushBack(c);
                return new Unknown(seq.toString());
            }
        }
        seq.append((char) c);
        Set<Modifier> mods = modifiers(modifier);
        Name name = switch (c) {
            case 'A' -> Name.UP;
            case 'B' -> Name.DOWN;
            case 'C' -> Name.RIGHT;
            case 'D' -> Name.LEFT;
            case 'H' -> Name.HOME;
            case 'F' -> Name.END;
            case 'M' -> Name.ENTER;
            case 'P' -> Name.F1;
            case 'Q' -> Name.F2;
            case 'R' -> Name.F3;
            case 'S' -> Name.F4;
            default -> null;
        };
        return name == null ? new Unknown(seq.toString()) : new Special(name, mods);
    }

    /** The body of a bracketed paste, up to {@code ESC [ 201 ~}; delivered as it stands if the end never comes. */
    private KeyEvent paste() {
        var body = new StringBuilder();
        while (true) {
            int c = read(pasteMillis);
            if (c < 0) {
                pushBack(c);
                break;
            }
            body.append((char) c);
            int tail = body.length() - PASTE_END.length();
            if (c == '~' && tail >= 0 && body.indexOf(PASTE_END, tail) == tail) {
                body.setLength(body.length() - PASTE_END.length());
                break;
            }
        }
        return new Paste(body.toString().replace("\r\n", "\n").replace('\r', '\n'));
    }

    /**
     * The numeric parameters of a CSI, {@code -1} where one is empty; sub-parameters after {@code :} (kitty's
     * shifted key, event type) are ignored. Empty when a parameter is not a number.
     */
    private static int[] numbers(String params) {
        if (params.isEmpty()) return new int[] {-1};
        String[] parts = params.split(";", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String first = parts[i].split(":", -1)[0];
            if (first.isEmpty()) {
                out[i] = -1;
                continue;
            }
            if (first.length() > 7 || !first.chars().allMatch(Character::isDigit)) return new int[0];
            out[i] = Integer.parseInt(first);
        }
        return out;
    }

    /** The xterm modifier parameter: 1 + a bit set of shift 1, alt 2, ctrl 4 (meta 8 counts as alt; locks ignored). */
    private static Set<Modifier> modifiers(int parameter) {
        var mods = EnumSet.noneOf(Modifier.class);
        if (parameter < 2) return mods;
        int bits = parameter - 1;
        if ((bits & 1) != 0) mods.add(Modifier.SHIFT);
        if ((bits & 2) != 0 || (bits & 32) != 0) mods.add(Modifier.ALT);
        if ((bits & 4) != 0) mods.add(Modifier.CTRL);
        return mods;
    }

    private static Special special(Name name, boolean alt) {
        return alt ? Special.of(name, Modifier.ALT) : Special.of(name);
    }

    private static String prefix(boolean alt) { return alt ? "\u001b" : ""; }

    private int read(long timeoutMillis) {
        if (!pushedBack.isEmpty()) return pushedBack.pop();
        try {
            if (timeoutMillis == 0) return source.read(0);
            long start = System.nanoTime();
            int c = source.read(timeoutMillis);
            // A wait that overran its timeout by far was a pause of this process (a collection, a busy machine), not
            // the terminal's silence: the rest of a sequence already sent may be waiting in JLine's pump, which was
            // paused too. Asking once more keeps PageUp from turning into a lone Esc (which closes a view) under load.
            if (c == CharSource.TIMEOUT && System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(timeoutMillis + STALL_SLACK_MILLIS)) {
                c = source.read(timeoutMillis);
            }
            return c;
        } catch (ClosedException e) {
            return CharSource.EOF;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps {@code c} for the next read; a timeout is not worth keeping (time has passed), an end of input is. */
    private void pushBack(int c) {
        if (c != CharSource.TIMEOUT) pushedBack.push(c);
    }
}
