package dev.lathe.core.config;

import dev.lathe.lsp.LspServerSpec;
import dev.lathe.lsp.LspSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The merged, validated {@code lsp} value as {@link LspSettings} (docs/config.md): absent or {@code true} is on with the
 * built-in servers; {@code false} is off; an object names servers ({@code NAME: false} or {@code {"disabled": true}}
 * disables one) beside the switches {@code warnings} and {@code wait}. An enabled entry has a {@code command} (after
 * the layers merged: one layer may give the command, another the extensions); the fields it leaves out are empty, and
 * for an entry named like a built-in the built-in's apply (the {@code lsp} module merges them).
 */
final class LspBinding {
    /** DESIGN §18: how long an edit waits for a server's diagnostics unless {@code lsp.wait} says otherwise. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

    private LspBinding() {}

    static LspSettings settings(JsonNode lsp) {
        if (lsp.isBoolean() && !lsp.asBoolean()) return new LspSettings(false, Map.of(), false, DEFAULT_WAIT);
        Map<String, LspServerSpec> servers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : lsp.properties()) {
            if (ConfigSchema.LSP_SWITCHES.contains(e.getKey())) continue;
            servers.put(e.getKey(), server(e.getKey(), e.getValue()));
        }
        Duration wait = lsp.path("wait").isNumber() ? Duration.ofMillis(Math.round(lsp.get("wait").asDouble() * 1000)) : DEFAULT_WAIT;
        return new LspSettings(true, servers, lsp.path("warnings").asBoolean(false), wait);
    }

    private static LspServerSpec server(String name, JsonNode v) {
        if (!v.isObject()) return new LspServerSpec(name, List.of(), Set.of(), List.of(), Optional.empty(), Map.of(), false);
        List<String> command = strings(v.path("command"));
        boolean enabled = !v.path("disabled").asBoolean(false);
        if (enabled && command.isEmpty()) {
            throw new ConfigException("config", 0, "lsp." + name + ".command",
                    "missing: a server that is not disabled needs its command (an array: the executable and its arguments)");
        }
        Set<String> extensions = new LinkedHashSet<>();
        // ".py" and "py" mean the same; the servers' table keys extensions without the dot
        for (String x : strings(v.path("extensions"))) extensions.add(x.startsWith(".") ? x.substring(1) : x);
        Optional<String> init = v.path("initialization").isObject() ? Optional.of(v.get("initialization").toString()) : Optional.empty();
        return new LspServerSpec(name, command, extensions, strings(v.path("rootMarkers")), init, ConfigLoader.strings(v.get("env")), enabled);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
