package dev.lathe.tui.input;

import dev.lathe.tui.input.KeyEvent.Char;
import dev.lathe.tui.input.KeyEvent.Ctrl;
import dev.lathe.tui.input.KeyEvent.Modifier;
import dev.lathe.tui.input.KeyEvent.Paste;
import dev.lathe.tui.input.KeyEvent.Special;
import dev.lathe.tui.input.KeyEvent.Unknown;
import dev.lathe.protocol.NearestName;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The canonical spelling of one key, shared by the spec parser and the decoded events so that binding is a map
 * lookup: modifiers in the order {@code ctrl+alt+shift+}, then a key name ({@code enter}, {@code pageup},
 * {@code f5}, {@code space}) or a single character. Shift is never spelled on characters: {@code alt+B} is what
 * the terminal sends for Alt+Shift+B.
 */
final class KeyStroke {
    private KeyStroke() {}

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("esc", "escape"), Map.entry("return", "enter"), Map.entry("del", "delete"),
            Map.entry("ins", "insert"), Map.entry("pgup", "pageup"), Map.entry("pgdn", "pagedown"),
            Map.entry("pgdown", "pagedown"), Map.entry("page_up", "pageup"), Map.entry("page_down", "pagedown"),
            Map.entry("bs", "backspace"));

    /** The canonical stroke of a decoded key; empty for pastes and unknown sequences, which never bind. */
    static Optional<String> of(KeyEvent event) {
        return switch (event) {
            case Char c -> Optional.of((c.alt() ? "alt+" : "") + (c.codePoint() == ' ' ? "space" : Character.toString(c.codePoint())));
            case Ctrl c -> Optional.of("ctrl+" + (c.alt() ? "alt+" : "") + (c.key() == ' ' ? "space" : String.valueOf(c.key())));
            case Special s -> Optional.of(modifiers(s.has(Modifier.CTRL), s.has(Modifier.ALT), s.has(Modifier.SHIFT)) + name(s.name()));
            case Paste _, Unknown _ -> Optional.empty();
        };
    }

    /** The spec name of a {@link KeyEvent.Name}: {@code PAGE_UP} is {@code pageup}. */
    static String name(KeyEvent.Name name) {
        return name.name().toLowerCase(Locale.ROOT).replace("_", "");
    }

    /**
     * The canonical stroke for one spec such as {@code "ctrl+x"}, {@code "Shift+Enter"} or {@code "alt++"}.
     *
     * @throws IllegalArgumentException with a message that quotes {@code spec} and says what is wrong
     */
    static String parse(String spec) {
        String s = spec.strip();
        if (s.isEmpty()) throw new IllegalArgumentException("empty key (use \"none\" to unbind)");
        String base;
        String[] mods;
        if (s.equals("+")) {
            base = "+";
            mods = new String[0];
        } else if (s.endsWith("++")) {
            base = "+";
            mods = s.substring(0, s.length() - 2).split("\\+", -1);
        } else {
            String[] parts = s.split("\\+", -1);
            base = parts[parts.length - 1];
            mods = java.util.Arrays.copyOf(parts, parts.length - 1);
        }
        boolean ctrl = false;
        boolean alt = false;
        boolean shift = false;
        for (String m : mods) {
            switch (m.strip().toLowerCase(Locale.ROOT)) {
                case "ctrl", "control" -> ctrl = true;
                case "alt", "meta", "option" -> alt = true;
                case "shift" -> shift = true;
                default -> throw unknown(spec, "unknown modifier '" + m + "'"
                        + NearestName.of(m.strip().toLowerCase(Locale.ROOT), List.of("ctrl", "alt", "shift")).map(n -> "; did you mean '" + n + "'?").orElse("")
                        + "; modifiers are ctrl, alt, shift");
            }
        }
        base = base.strip();
        if (base.isEmpty()) throw unknown(spec, "no key after the modifiers");
        String lower = base.toLowerCase(Locale.ROOT);
        lower = ALIASES.getOrDefault(lower, lower);
        if (isName(lower)) {
            if (lower.equals("space")) return character(spec, ' ', ctrl, alt, shift);
            return modifiers(ctrl, alt, shift) + lower;
        }
        if (base.codePointCount(0, base.length()) != 1) {
            throw unknown(spec, "not a key name or a single character" + NearestName.of(lower, names()).map(n -> "; did you mean '" + n + "'?").orElse(""));
        }
        return character(spec, base.codePointAt(0), ctrl, alt, shift);
    }

    private static String character(String spec, int cp, boolean ctrl, boolean alt, boolean shift) {
        if (ctrl) {
            int key = Character.isLetter(cp) && cp < 0x80 ? Character.toLowerCase(cp) : cp == '@' ? ' ' : cp;
            if (shift) throw new IllegalArgumentException("key '" + spec.strip() + "' cannot be told apart from the same key without shift");
            if (!(key >= 'a' && key <= 'z') && " \\]^_".indexOf(key) < 0) {
                throw new IllegalArgumentException("key '" + spec.strip() + "' is not one terminals send (ctrl works with a-z, space, \\ ] ^ _)");
            }
            if (key == 'h' || key == 'i' || key == 'm') {
                throw new IllegalArgumentException("key '" + spec.strip() + "' arrives as " + (key == 'h' ? "backspace" : key == 'i' ? "tab" : "enter")
                        + " on most terminals; bind that instead");
            }
            return "ctrl+" + (alt ? "alt+" : "") + (key == ' ' ? "space" : Character.toString(key));
        }
        if (!alt) throw new IllegalArgumentException("key '" + spec.strip() + "' would stop it from being typed (add ctrl or alt)");
        if (shift) {
            if (!Character.isLetter(cp)) throw new IllegalArgumentException("key '" + spec.strip() + "': write the shifted character instead of shift+");
            cp = Character.toUpperCase(cp);
        }
        return "alt+" + (cp == ' ' ? "space" : Character.toString(cp));
    }

    private static boolean isName(String lower) {
        if (lower.equals("space")) return true;
        for (KeyEvent.Name n : KeyEvent.Name.values()) if (name(n).equals(lower)) return true;
        return false;
    }

    private static List<String> names() {
        var out = new java.util.ArrayList<String>(List.of("space"));
        for (KeyEvent.Name n : KeyEvent.Name.values()) out.add(name(n));
        return out;
    }

    private static String modifiers(boolean ctrl, boolean alt, boolean shift) {
        return (ctrl ? "ctrl+" : "") + (alt ? "alt+" : "") + (shift ? "shift+" : "");
    }

    private static IllegalArgumentException unknown(String spec, String why) {
        return new IllegalArgumentException("unknown key '" + spec.strip() + "' (" + why + ")");
    }
}
