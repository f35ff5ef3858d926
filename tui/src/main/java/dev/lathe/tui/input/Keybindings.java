package dev.lathe.tui.input;

import dev.lathe.protocol.NearestName;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which keys trigger which {@link Action}. Immutable; {@link #withOverrides} returns a new instance.
 *
 * <p>Key specs follow OpenCode and VS Code: modifiers {@code ctrl}, {@code alt}, {@code shift} joined with
 * {@code +} to a key name ({@code enter tab backspace delete escape up down left right home end pageup pagedown
 * insert space f1…f12}) or one character; alternatives separated by commas ({@code "shift+enter,alt+enter,ctrl+j"});
 * {@code "none"} unbinds. A printable character needs ctrl or alt, and ctrl works with letters (except h, i, m,
 * which terminals send as backspace, tab and enter). The defaults avoid two-key chords: {@code ctrl+s} is free
 * because JLine's raw mode turns off XON/XOFF flow control; {@code ctrl+c} only arrives as a key when the
 * controller also turns off signal generation ({@code ISIG}).
 */
public final class Keybindings {
    private final Map<Action, List<String>> keys;
    private final Map<String, Action> actions;
    private final List<Taken> taken;

    /**
     * A key an override took from an action that was not itself configured: legal (that is how a key is moved), but
     * the built-in action loses it without a word unless the user is told (issue 53: the README's own
     * {@code "sessions": "ctrl+x"} silently took Clear input's key).
     *
     * @param by the configured action that now has the key
     * @param key the canonical key
     * @param from the action that had it by default
     */
    public record Taken(Action by, String key, Action from) {
        /** One line for the user, e.g. {@code keybinds.sessions takes 'ctrl+x' from clearInput (Clear the whole input), …}. */
        public String describe(Keybindings now) {
            return "keybinds." + by.configKey() + " takes '" + key + "' from " + from.configKey() + " (" + from.description() + "), which "
                    + (now.keys(from).isEmpty() ? "is left with no key" : "keeps " + now.describe(from))
                    + "; choose a free key, or set keybinds." + from.configKey() + " too";
        }
    }

    private Keybindings(Map<Action, List<String>> keys) { this(keys, List.of()); }

    private Keybindings(Map<Action, List<String>> keys, List<Taken> taken) {
        this.keys = keys;
        this.taken = List.copyOf(taken);
        this.actions = new HashMap<>();
        keys.forEach((action, strokes) -> strokes.forEach(k -> actions.put(k, action)));
    }

    /** The built-in bindings, each {@link Action#defaultKeys()}. */
    public static Keybindings defaults() {
        var keys = new EnumMap<Action, List<String>>(Action.class);
        for (Action a : Action.values()) keys.put(a, parseSpec(a, a.defaultKeys()));
        return new Keybindings(keys);
    }

    /**
     * These bindings with the {@code keybinds} config object applied: each entry maps an action's
     * {@link Action#configKey()} to a spec. A key an override takes is removed from whichever action had it
     * before, so {@code "sessions": "ctrl+n"} wins over the history binding ({@link #taken()} lists such moves).
     *
     * @throws IllegalArgumentException naming the config key, e.g. {@code keybinds.newline: unknown key 'sift+enter' (…)},
     *     for an unknown action, an unparsable spec, or two overrides claiming the same key
     */
    public Keybindings withOverrides(Map<String, String> configKeybinds) {
        var overrides = new EnumMap<Action, List<String>>(Action.class);
        for (var entry : new TreeMap<>(configKeybinds).entrySet()) {
            Action action = Action.fromConfigKey(entry.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "keybinds." + entry.getKey() + ": unknown action" + NearestName.of(entry.getKey(), configKeys()).map(k -> "; did you mean '" + k + "'?").orElse("")
                            + " (known: " + knownKeys() + ")"));
            overrides.put(action, parseSpec(action, entry.getValue()));
        }
        var claimedBy = new HashMap<String, Action>();
        overrides.forEach((action, strokes) -> {
            for (String k : strokes) {
                Action other = claimedBy.putIfAbsent(k, action);
                if (other != null && other != action) {
                    throw new IllegalArgumentException("keybinds." + other.configKey() + " and keybinds." + action.configKey()
                            + " both bind '" + k + "'");
                }
            }
        });
        var merged = new EnumMap<Action, List<String>>(Action.class);
        var taken = new ArrayList<Taken>();
        for (Action a : Action.values()) {
            if (overrides.containsKey(a)) {
                merged.put(a, overrides.get(a));
                continue;
            }
            keys.get(a).stream().filter(claimedBy::containsKey).forEach(k -> taken.add(new Taken(claimedBy.get(k), k, a)));
            merged.put(a, keys.get(a).stream().filter(k -> !claimedBy.containsKey(k)).toList());
        }
        return new Keybindings(merged, taken);
    }

    /** The keys the last {@link #withOverrides} took from actions the config did not name, in the actions' order. */
    public List<Taken> taken() { return taken; }

    /** The action bound to {@code event}; empty for unbound keys, pastes and unknown sequences. */
    public Optional<Action> actionFor(KeyEvent event) {
        return KeyStroke.of(event).map(actions::get);
    }

    /** The canonical keys bound to {@code action}, in the order configured; empty when unbound. */
    public List<String> keys(Action action) { return keys.get(action); }

    /** The keys of {@code action} for help text: {@code "shift+enter, alt+enter, ctrl+j"}, or {@code "none"}. */
    public String describe(Action action) {
        List<String> k = keys.get(action);
        return k.isEmpty() ? "none" : String.join(", ", k);
    }

    /** A Markdown table of every action, its config key, default keys and description, for the README. */
    public static String defaultsTable() {
        Keybindings d = defaults();
        var sb = new StringBuilder("| Action | Config key | Default keys | What it does |\n|---|---|---|---|\n");
        for (Action a : Action.values()) {
            List<String> k = d.keys(a);
            String shown = k.isEmpty() ? "none" : String.join(", ", k.stream().map(s -> "`" + s + "`").toList());
            sb.append("| ").append(a.name()).append(" | `").append(a.configKey()).append("` | ").append(shown)
                    .append(" | ").append(a.description()).append(" |\n");
        }
        return sb.toString();
    }

    private static List<String> parseSpec(Action action, String spec) {
        if (spec.strip().equalsIgnoreCase("none")) return List.of();
        var out = new ArrayList<String>();
        for (String part : spec.split(",", -1)) {
            String stroke;
            try {
                stroke = part.strip().equalsIgnoreCase("none") ? fail("\"none\" cannot be combined with keys") : KeyStroke.parse(part);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("keybinds." + action.configKey() + ": " + e.getMessage(), e);
            }
            if (!out.contains(stroke)) out.add(stroke);
        }
        return List.copyOf(out);
    }

    private static String fail(String message) { throw new IllegalArgumentException(message); }

    private static String knownKeys() { return String.join(", ", configKeys()); }

    private static List<String> configKeys() { return java.util.Arrays.stream(Action.values()).map(Action::configKey).toList(); }
}
