package dev.lathe.core.config;

import dev.lathe.core.trust.Withheld;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
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

    /** Removes the withheld parts from {@code layer}; @param source the file as the warning names it */
    static List<Withheld> strip(ObjectNode layer, String source) {
        List<String> urls = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : layer.path("provider").properties()) {
            if (!(e.getValue() instanceof ObjectNode provider)) continue;
            // where a subscription signs in is a URL the folder would choose too: a phishing issuer must not get the user's sign-in
            if (provider.remove("baseUrl") != null | provider.remove("oauth") != null) urls.add(e.getKey());
            JsonNode removed = provider.remove("headers");
            if (removed != null) for (String name : removed.propertyNames()) headers.add(e.getKey() + "." + name);
        }
        // a project's MCP servers are executables (or endpoints given the user's tokens) the folder chose
        List<String> mcp = new ArrayList<>();
        JsonNode servers = layer.remove("mcp");
        if (servers != null) mcp.addAll(servers.propertyNames());
        List<String> lsp = lspServers(layer);
        List<String> agents = acpAgents(layer);
        // a project's hooks are commands (or endpoints sent every tool call) the folder chose
        List<String> hooks = HooksFile.names(new LocatedJson(source, layer, Map.of()), "hooks");
        layer.remove("hooks");
        List<String> sandbox = layer.remove("sandbox") != null ? List.of("sandbox") : List.of();
        // a Claude Code plugin brings hooks and MCP servers: executables the folder chose
        List<String> plugins = new ArrayList<>();
        JsonNode pluginFolders = layer.remove("plugins");
        if (pluginFolders != null) pluginFolders.forEach(p -> plugins.add(p.asString()));
        List<String> outside = new ArrayList<>();
        if (layer.get("instructions") instanceof ArrayNode instructions) {
            for (int i = instructions.size() - 1; i >= 0; i--) {
                String entry = instructions.get(i).asString();
                if (!insideProject(entry)) {
                    outside.addFirst(entry);
                    instructions.remove(i);
                }
            }
        }
        List<String> substitutions = new ArrayList<>();
        blankSubstitutions(layer, "", substitutions);
        List<Withheld> out = new ArrayList<>();
        add(out, Withheld.Kind.PROVIDER_BASE_URL, source, urls);
        add(out, Withheld.Kind.PROVIDER_HEADERS, source, headers);
        add(out, Withheld.Kind.SUBSTITUTION, source, substitutions);
        add(out, Withheld.Kind.SANDBOX_SETTINGS, source, sandbox);
        add(out, Withheld.Kind.MCP_SERVERS, source, mcp);
        add(out, Withheld.Kind.LSP_SERVERS, source, lsp);
        add(out, Withheld.Kind.ACP_AGENTS, source, agents);
        add(out, Withheld.Kind.PLUGINS, source, plugins);
        add(out, Withheld.Kind.INSTRUCTIONS_OUTSIDE, source, outside);
        add(out, Withheld.Kind.HOOKS, source, hooks);
        return out;
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
    private static List<String> lspServers(ObjectNode layer) {
        List<String> names = new ArrayList<>();
        if (!(layer.get("lsp") instanceof ObjectNode lsp)) return names;
        for (Map.Entry<String, JsonNode> e : new ArrayList<>(lsp.properties())) {
            JsonNode v = e.getValue();
            if (v.isObject() && (v.has("command") || v.has("env") || v.has("initialization"))) {
                lsp.remove(e.getKey());
                names.add(e.getKey());
            }
        }
        return names;
    }

    /**
     * Removes everything of an ACP agent ({@code provider.acp.models.NAME}) but its {@code name}: its {@code command}
     * and {@code env} are an executable the folder chose, and its {@code mode} would change how the user's own agent
     * runs ({@code bypassPermissions}). The name stays, so a session on an agent only the folder defines says the
     * command is missing (and why).
     */
    private static List<String> acpAgents(ObjectNode layer) {
        List<String> names = new ArrayList<>();
        if (!(layer.path("provider").path(Config.AgentCommand.PROVIDER).path("models") instanceof ObjectNode models)) return names;
        for (Map.Entry<String, JsonNode> e : models.properties()) {
            if (!(e.getValue() instanceof ObjectNode agent)) continue;
            List<String> keys = new ArrayList<>(agent.propertyNames());
            keys.remove("name");
            if (keys.isEmpty()) continue;
            agent.remove(keys);
            names.add(e.getKey());
        }
        return names;
    }

    /** A relative path or glob that cannot climb out of the project root ({@code ..}), as {@code Instructions} reads it. */
    private static boolean insideProject(String entry) {
        String slashes = entry.replace('\\', '/');
        if (slashes.startsWith("/") || slashes.startsWith("~") || slashes.matches("^[A-Za-z]:.*")) return false;
        for (String part : slashes.split("/")) if (part.equals("..")) return false;
        return true;
    }

    private static void add(List<Withheld> out, Withheld.Kind kind, String source, List<String> items) {
        if (!items.isEmpty()) out.add(new Withheld(kind, source, items));
    }

    /**
     * Replaces each {@code {env:…}} and {@code {file:…}} by nothing, naming the key it was in; where the loader expands
     * them (string values of objects).
     */
    private static void blankSubstitutions(JsonNode node, String path, List<String> found) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> e : new ArrayList<>(object.properties())) {
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                JsonNode v = e.getValue();
                if (v.isString() && ConfigLoader.SUBSTITUTION.matcher(v.asString()).find()) {
                    object.put(e.getKey(), ConfigLoader.SUBSTITUTION.matcher(v.asString()).replaceAll(""));
                    found.add(child);
                } else {
                    blankSubstitutions(v, child, found);
                }
            }
        }
    }
}
