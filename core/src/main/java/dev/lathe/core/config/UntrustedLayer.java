package dev.lathe.core.config;

import dev.lathe.core.trust.TrustGate;
import dev.lathe.core.trust.TrustItem;
import dev.lathe.core.trust.Withheld;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What an untrusted folder's own config layer may not do (DESIGN §14 "Trust"): point a provider at a server of its
 * choosing ({@code baseUrl}), start MCP servers ({@code mcp}) or language servers ({@code lsp} entries with a command), run hooks ({@code hooks}) or load Claude Code plugins ({@code plugins}), or add headers to the user's requests, read the user's environment or files into the
 * config ({@code {env:…}}, {@code {file:…}}: a key would leave with the next request) or into the system prompt
 * ({@code instructions} naming files outside the project, {@code ~/.aws/credentials}), or change the sandbox. Those
 * parts are removed from the layer, after it was validated (so an error still names its line) and before it is
 * merged; everything else of the layer (models, permission rules, agents, instructions) applies.
 */
final class UntrustedLayer {
    private UntrustedLayer() {}

    /** Removes every withheld part from {@code layer} (an untrusted folder); @param source the file as the warning names it */
    static List<Withheld> strip(ObjectNode layer, String source) {
        return strip(layer, source, TrustGate.untrusted());
    }

    /**
     * Removes from {@code layer} the parts {@code gate} does not admit, item by item (DESIGN §18 "Trust pins what it
     * approved"): in an untrusted folder all of them, in a trusted one those added or changed since it was trusted.
     *
     * @param source the file as the warning names it
     */
    static List<Withheld> strip(ObjectNode layer, String source, TrustGate gate) {
        var items = new Items(source, gate);
        for (Map.Entry<String, JsonNode> e : layer.path("provider").properties()) {
            if (!(e.getValue() instanceof ObjectNode provider)) continue;
            // where a subscription signs in is a URL the folder would choose too: a phishing issuer must not get the user's sign-in
            if (provider.has("baseUrl") || provider.has("oauth")) {
                ObjectNode where = JsonNodeFactory.instance.objectNode();
                if (provider.has("baseUrl")) where.set("baseUrl", provider.get("baseUrl"));
                if (provider.has("oauth")) where.set("oauth", provider.get("oauth"));
                if (!items.admit(Withheld.Kind.PROVIDER_BASE_URL, e.getKey(), where)) {
                    provider.remove("baseUrl");
                    provider.remove("oauth");
                }
            }
            if (provider.get("headers") instanceof ObjectNode headers) {
                for (String name : List.copyOf(headers.propertyNames())) {
                    if (!items.admit(Withheld.Kind.PROVIDER_HEADERS, e.getKey() + "." + name, headers.get(name))) headers.remove(name);
                }
                if (headers.isEmpty()) provider.remove("headers");
            } else if (provider.has("headers") && !items.admit(Withheld.Kind.PROVIDER_HEADERS, e.getKey() + ".headers", provider.get("headers"))) {
                provider.remove("headers");
            }
        }
        // a project's MCP servers are executables (or endpoints given the user's tokens) the folder chose
        if (layer.get("mcp") instanceof ObjectNode mcp) {
            for (String name : List.copyOf(mcp.propertyNames())) if (!items.admit(Withheld.Kind.MCP_SERVERS, name, mcp.get(name))) mcp.remove(name);
            if (mcp.isEmpty()) layer.remove("mcp");
        } else if (layer.has("mcp") && !items.admit(Withheld.Kind.MCP_SERVERS, "mcp", layer.get("mcp"))) {
            layer.remove("mcp");
        }
        lspServers(layer, items);
        acpAgents(layer, items);
        // a project's hooks are commands (or endpoints sent every tool call) the folder chose
        HooksFile.admitted(layer, "hooks", items::admitHook);
        // the status line is a command the folder chose, run as its hooks are (DESIGN §27)
        if (layer.has(StatusLineCommand.KEY) && !items.admit(Withheld.Kind.STATUS_LINE, StatusLineCommand.KEY, layer.get(StatusLineCommand.KEY).path("command"))) {
            layer.remove(StatusLineCommand.KEY);
        }
        if (layer.has("sandbox") && !items.admit(Withheld.Kind.SANDBOX_SETTINGS, "sandbox", layer.get("sandbox"))) layer.remove("sandbox");
        // a Claude Code plugin brings hooks and MCP servers: executables the folder chose
        if (layer.get("plugins") instanceof ArrayNode plugins) {
            for (int i = plugins.size() - 1; i >= 0; i--) {
                if (!items.admit(Withheld.Kind.PLUGINS, plugins.get(i).asString(), plugins.get(i))) plugins.remove(i);
            }
        } else if (layer.has("plugins") && !items.admit(Withheld.Kind.PLUGINS, "plugins", layer.get("plugins"))) {
            layer.remove("plugins");
        }
        if (layer.get("instructions") instanceof ArrayNode instructions) {
            for (int i = instructions.size() - 1; i >= 0; i--) {
                String entry = instructions.get(i).asString();
                if (!insideProject(entry) && !items.admit(Withheld.Kind.INSTRUCTIONS_OUTSIDE, entry, instructions.get(i))) instructions.remove(i);
            }
        }
        blankSubstitutions(layer, "", items);
        return items.withheld();
    }

    /** The items of one layer put to the gate, and the names of those it withheld, by kind in the warning's order. */
    private static final class Items {
        private static final List<Withheld.Kind> ORDER = List.of(Withheld.Kind.PROVIDER_BASE_URL, Withheld.Kind.PROVIDER_HEADERS,
                Withheld.Kind.SUBSTITUTION, Withheld.Kind.SANDBOX_SETTINGS, Withheld.Kind.MCP_SERVERS, Withheld.Kind.LSP_SERVERS,
                Withheld.Kind.ACP_AGENTS, Withheld.Kind.PLUGINS, Withheld.Kind.INSTRUCTIONS_OUTSIDE, Withheld.Kind.HOOKS, Withheld.Kind.STATUS_LINE);
        private final String source;
        private final TrustGate gate;
        private final Map<Withheld.Kind, List<String>> withheld = new java.util.EnumMap<>(Withheld.Kind.class);

        Items(String source, TrustGate gate) {
            this.source = source;
            this.gate = gate;
        }

        boolean admit(Withheld.Kind kind, String name, JsonNode written) {
            boolean admitted = gate.admit(new TrustItem(kind, source, name, written.isString() ? written.asString() : written.toString()));
            if (!admitted) withheld.computeIfAbsent(kind, k -> new ArrayList<>()).add(name);
            return admitted;
        }

        boolean admitHook(String name, JsonNode group) { return admit(Withheld.Kind.HOOKS, name, group); }

        List<Withheld> withheld() {
            List<Withheld> out = new ArrayList<>();
            for (Withheld.Kind kind : ORDER) {
                List<String> names = withheld.get(kind);
                if (names == null) continue;
                // removed from the end back: named in the file's order
                if (kind == Withheld.Kind.PLUGINS || kind == Withheld.Kind.INSTRUCTIONS_OUTSIDE) names = names.reversed();
                out.add(new Withheld(kind, source, names, gate.reason()));
            }
            return out;
        }
    }

    /**
     * Removes every {@code allow} rule of {@code layer} (an untrusted folder's, its {@code permission} objects already in
     * the normalised form), at the top level and in each {@code agent.NAME.permission} (DESIGN §24 "Restrictive rules need
     * no trust"): a cloned repository must not open what the user's own rules ask about, while its {@code deny} and
     * {@code ask} rules apply at once. Removed before the layer merges, so a lower layer's rule for the same pattern
     * still holds. Answers what was removed, {@code bash: git push *} or {@code agent review: edit: *}, as withheld.
     */
    static List<Withheld> allowRules(ObjectNode layer, String source) {
        List<String> removed = new ArrayList<>();
        removeAllows(layer.get("permission"), "", removed);
        for (Map.Entry<String, JsonNode> agent : layer.path("agent").properties()) {
            removeAllows(agent.getValue().get("permission"), "agent " + agent.getKey() + ": ", removed);
        }
        return removed.isEmpty() ? List.of() : List.of(new Withheld(Withheld.Kind.ALLOW_RULES, source, removed));
    }

    private static void removeAllows(JsonNode permission, String prefix, List<String> removed) {
        if (!(permission instanceof ObjectNode keys)) return;
        for (String key : List.copyOf(keys.propertyNames())) {
            if (!(keys.get(key) instanceof ObjectNode patterns)) continue;
            for (String pattern : List.copyOf(patterns.propertyNames())) {
                if (!patterns.get(pattern).asString("").equals("allow")) continue;
                patterns.remove(pattern);
                removed.add(prefix + key + ": " + pattern);
            }
            if (patterns.isEmpty()) keys.remove(key);
        }
    }

    /**
     * An untrusted folder's spend and token limits may tighten those of the layers below, never loosen them: a cloned
     * repository must not lift the caps the user set to protect their money. Its amounts above the ones already set are
     * lowered to them, and its {@code null}s (which would remove a cap) are dropped; a cap nobody set it may add.
     */
    static void limitsTightenOnly(ObjectNode layer, JsonNode below) {
        JsonNode limits = layer.get("limits");
        if (limits != null && limits.isNull()) {
            layer.remove("limits");
            return;
        }
        if (!(limits instanceof ObjectNode scopes)) return;
        for (String scope : List.copyOf(scopes.propertyNames())) {
            JsonNode set = below.path("limits").path(scope);
            JsonNode caps = scopes.get(scope);
            if (caps.isNull()) {
                scopes.remove(scope);
            } else if (caps instanceof ObjectNode amounts) {
                for (String amount : List.copyOf(amounts.propertyNames())) {
                    JsonNode mine = amounts.get(amount);
                    JsonNode theirs = set.path(amount);
                    if (mine.isNull()) amounts.remove(amount);
                    else if (mine.isNumber() && theirs.isNumber() && mine.doubleValue() > theirs.doubleValue()) amounts.set(amount, theirs.deepCopy());
                }
            }
        }
    }

    /**
     * Removes the {@code lsp} entries that would run code the folder chose: a {@code command}, an {@code env} (a
     * variable such as {@code NODE_OPTIONS} runs code inside a built-in server) or {@code initialization} options (some
     * servers load plugins they name). Switching servers off, extensions and root markers stay.
     */
    private static void lspServers(ObjectNode layer, Items items) {
        if (!(layer.get("lsp") instanceof ObjectNode lsp)) return;
        for (Map.Entry<String, JsonNode> e : new ArrayList<>(lsp.properties())) {
            JsonNode v = e.getValue();
            if (v.isObject() && (v.has("command") || v.has("env") || v.has("initialization")) && !items.admit(Withheld.Kind.LSP_SERVERS, e.getKey(), v)) {
                lsp.remove(e.getKey());
            }
        }
    }

    /**
     * Removes everything of an ACP agent ({@code provider.acp.models.NAME}) but its {@code name}: its {@code command}
     * and {@code env} are an executable the folder chose, and its {@code mode} would change how the user's own agent
     * runs ({@code bypassPermissions}). The name stays, so a session on an agent only the folder defines says the
     * command is missing (and why).
     */
    private static void acpAgents(ObjectNode layer, Items items) {
        if (!(layer.path("provider").path(Config.AgentCommand.PROVIDER).path("models") instanceof ObjectNode models)) return;
        for (Map.Entry<String, JsonNode> e : models.properties()) {
            if (!(e.getValue() instanceof ObjectNode agent)) continue;
            List<String> keys = new ArrayList<>(agent.propertyNames());
            keys.remove("name");
            if (keys.isEmpty() || items.admit(Withheld.Kind.ACP_AGENTS, e.getKey(), agent)) continue;
            agent.remove(keys);
        }
    }

    /** A relative path or glob that cannot climb out of the project root ({@code ..}), as {@code Instructions} reads it. */
    private static boolean insideProject(String entry) {
        String slashes = entry.replace('\\', '/');
        if (slashes.startsWith("/") || slashes.startsWith("~") || slashes.matches("^[A-Za-z]:.*")) return false;
        for (String part : slashes.split("/")) if (part.equals("..")) return false;
        return true;
    }

    /**
     * Replaces each {@code {env:…}} and {@code {file:…}} by nothing, naming the key it was in; where the loader expands
     * them (string values of objects).
     */
    private static void blankSubstitutions(JsonNode node, String path, Items items) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> e : new ArrayList<>(object.properties())) {
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                JsonNode v = e.getValue();
                if (v.isString() && ConfigLoader.SUBSTITUTION.matcher(v.asString()).find()) {
                    if (!items.admit(Withheld.Kind.SUBSTITUTION, child, v)) object.put(e.getKey(), ConfigLoader.SUBSTITUTION.matcher(v.asString()).replaceAll(""));
                } else {
                    blankSubstitutions(v, child, items);
                }
            }
        }
    }
}
