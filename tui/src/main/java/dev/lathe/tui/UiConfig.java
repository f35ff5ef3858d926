package dev.lathe.tui;

import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.tui.input.Keybindings;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The terminal UI's part of the config: {@code "theme"} (a built-in name — {@code default}, {@code mono} — or an
 * object of role → colour, optionally with {@code "base"}) and {@code "keybinds"} (action → keys). The server has
 * checked the types; what only the UI can judge (a colour name, a key) becomes a warning shown at start and the
 * default for that entry, so a typo never locks the user out of their terminal.
 *
 * @param model the configured {@code model} ({@code provider/model}), empty when none: what a new session will use
 * @param warnings one line per entry that was not understood
 */
record UiConfig(Theme theme, Keybindings keys, String model, List<String> warnings) {

    static UiConfig from(RawJson config, boolean noColor) { return from(config, noColor, ConfigLines.NONE); }

    /** @param lines where the entries are written, for {@code file:line:} before each warning */
    static UiConfig from(RawJson config, boolean noColor, ConfigLines lines) {
        var warnings = new ArrayList<String>();
        Theme theme = Theme.standard();
        Keybindings keys = Keybindings.defaults();
        JsonNode root;
        try {
            root = WireJson.mapper().readTree(config.json());
        } catch (RuntimeException e) {
            return new UiConfig(noColor ? theme.withoutColor() : theme, keys, "", List.of("config: " + e.getMessage()));
        }
        JsonNode t = root.get("theme");
        if (t != null && t.isString()) {
            theme = base(t.asString(), "theme", lines.at("theme", ""), warnings);
        } else if (t != null && t.isObject()) {
            if (t.get("base") != null && t.get("base").isString()) theme = base(t.get("base").asString(), "theme.base", lines.at("theme", "base"), warnings);
            for (Map.Entry<String, JsonNode> e : t.properties()) {
                if (e.getKey().equals("base")) continue;
                Role role = role(e.getKey());
                String at = lines.at("theme", e.getKey());
                if (role == null) {
                    warnings.add(at + "theme." + e.getKey() + ": unknown role (known: " + roles() + ")");
                } else if (!e.getValue().isString()) {
                    warnings.add(at + "theme." + e.getKey() + ": expected a string such as \"bold cyan\"");
                } else {
                    try {
                        theme = theme.with(role, e.getValue().asString());
                    } catch (IllegalArgumentException ex) {
                        warnings.add(at + "theme." + e.getKey() + ": " + ex.getMessage());
                    }
                }
            }
        }
        JsonNode k = root.get("keybinds");
        if (k != null && k.isObject()) keys = keybinds(k, lines, warnings);
        JsonNode model = root.get("model");
        return new UiConfig(noColor ? theme.withoutColor() : theme, keys, model != null && model.isString() ? model.asString() : "",
                List.copyOf(warnings));
    }

    /**
     * The defaults with every understood {@code keybinds} entry applied together, so two entries that claim the same
     * key are caught (applied one by one, the later would silently take the key from the earlier). An entry that is
     * not understood, or that claims a key an earlier entry took, is left out with a warning.
     */
    private static Keybindings keybinds(JsonNode k, ConfigLines lines, List<String> warnings) {
        var accepted = new LinkedHashMap<String, String>();
        Keybindings keys = Keybindings.defaults();
        for (Map.Entry<String, JsonNode> e : k.properties()) {
            var tried = new LinkedHashMap<>(accepted);
            tried.put(e.getKey(), e.getValue().isString() ? e.getValue().asString() : e.getValue().toString());
            try {
                keys = Keybindings.defaults().withOverrides(tried);
                accepted = tried;
            } catch (IllegalArgumentException ex) {
                warnings.add(lines.at("keybinds", e.getKey()) + ex.getMessage() + (ex.getMessage().contains(" both bind ") ? "; keybinds." + e.getKey() + " is ignored" : ""));
            }
        }
        // a key moved from a built-in action the config left alone is allowed, but never silent
        for (Keybindings.Taken t : keys.taken()) warnings.add(lines.at("keybinds", t.by().configKey()) + t.describe(keys));
        return keys;
    }

    private static Theme base(String name, String key, String at, List<String> warnings) {
        return switch (name) {
            case "default", "lathe" -> Theme.standard();
            case "mono", "none" -> Theme.standard().withoutColor();
            default -> {
                warnings.add(at + key + ": unknown theme '" + name + "' (built in: default, mono)");
                yield Theme.standard();
            }
        };
    }

    private static Role role(String key) {
        for (Role r : Role.values()) if (r.key().equals(key)) return r;
        return null;
    }

    private static String roles() {
        var names = new ArrayList<String>();
        for (Role r : Role.values()) names.add(r.key());
        return String.join(", ", names);
    }
}
