package dev.lathe.tui.input;

import java.util.EnumSet;
import java.util.Set;

/**
 * One key press (or one bracketed paste) as decoded by {@link KeyDecoder}. The four shapes follow what a terminal
 * can actually tell apart: printable characters, Ctrl with a letter (the C0 control bytes), named keys with
 * modifiers (from escape sequences), and pastes. Anything else becomes {@link Unknown} so it never reaches the
 * text as stray bytes.
 */
public sealed interface KeyEvent {

    /** Modifier keys, as far as the terminal reports them. */
    enum Modifier { SHIFT, ALT, CTRL }

    /** Keys that are not characters. */
    enum Name {
        ENTER, TAB, BACKSPACE, DELETE, ESCAPE, UP, DOWN, LEFT, RIGHT, HOME, END, PAGE_UP, PAGE_DOWN, INSERT,
        F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12
    }

    /**
     * A printable character, a whole code point (never a lone surrogate, never a control character).
     * {@code alt} is set when the terminal sent it prefixed by ESC (Alt/Meta held).
     */
    record Char(int codePoint, boolean alt) implements KeyEvent {
        public static Char of(int codePoint) { return new Char(codePoint, false); }

        public static Char withAlt(int codePoint) { return new Char(codePoint, true); }

        @Override public String toString() {
            return (alt ? "alt+" : "") + "Char[" + Character.toString(codePoint) + "]";
        }
    }

    /**
     * Ctrl held with {@code key}: a lowercase letter {@code a}–{@code z}, or one of {@code ' '} (ctrl+space, also
     * ctrl+@), {@code '\\'}, {@code ']'}, {@code '^'}, {@code '_'}. Ctrl-H, Ctrl-I and Ctrl-M are indistinguishable
     * from Backspace, Tab and Enter on most terminals and arrive as those {@link Special} keys.
     */
    record Ctrl(char key, boolean alt) implements KeyEvent {
        public static Ctrl of(char key) { return new Ctrl(key, false); }

        public static Ctrl withAlt(char key) { return new Ctrl(key, true); }
    }

    /** A named key with the modifiers held (an immutable copy is kept). */
    record Special(Name name, Set<Modifier> modifiers) implements KeyEvent {
        public Special {
            modifiers = Set.copyOf(modifiers);
        }

        public static Special of(Name name, Modifier... modifiers) {
            var set = EnumSet.noneOf(Modifier.class);
            set.addAll(java.util.Arrays.asList(modifiers));
            return new Special(name, set);
        }

        public boolean has(Modifier modifier) { return modifiers.contains(modifier); }
    }

    /**
     * Text the terminal delivered between bracketed-paste markers, with CRLF and CR turned into LF. It may still
     * contain other control characters; {@link LineEditor} drops those when inserting.
     */
    record Paste(String text) implements KeyEvent {}

    /** An escape sequence or byte that means nothing here, kept verbatim (ESC included) for logging. */
    record Unknown(String sequence) implements KeyEvent {}
}
