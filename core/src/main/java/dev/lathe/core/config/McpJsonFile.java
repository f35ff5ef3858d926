package dev.lathe.core.config;

import dev.lathe.mcp.McpServerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A project's {@code .mcp.json} in Claude Code's shape (DESIGN §18): {@code {"mcpServers": {NAME: {command, args, env}
 * | {type: "http"|"sse", url, headers}}}}, validated (errors name the file, line and key) and turned into Lathe's
 * {@code mcp} entries, with Claude Code's {@code ${VAR}} and {@code ${VAR:-default}} expanded ({@link McpJsonVariables})
 * in {@code command}, {@code args}, {@code env}, {@code url} and {@code headers}. Read only in a trusted folder; keys
 * Claude Code may add later are ignored, wrong types are not.
 */
public final class McpJsonFile {
    static final String NAME = ".mcp.json";
    private static final Set<String> REMOTE_TYPES = Set.of("http", "sse", "streamable-http");

    private McpJsonFile() {}

    /** The server names the file defines, without validating it (for the untrusted-folder warning). */
    static List<String> names(LocatedJson doc) {
        return new ArrayList<>(doc.root().path("mcpServers").propertyNames());
    }

    /**
     * The servers of {@code doc}'s {@code mcpServers} (a {@code .mcp.json}, or a Claude Code plugin manifest that holds
     * them inline) as Lathe's entries, variables expanded from {@code env}.
     *
     * @throws ConfigException naming the file, line and key of the first problem
     */
    public static Map<String, McpServerSpec> servers(LocatedJson doc, Map<String, String> env) {
        return McpBinding.servers(toLathe(doc, env));
    }

    /** Validates {@code doc} and returns its servers as a Lathe {@code mcp} object, variables expanded from {@code env}. */
    static ObjectNode toLathe(LocatedJson doc, Map<String, String> env) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        JsonNode servers = doc.root().get("mcpServers");
        if (servers == null) return out;
        if (!servers.isObject()) fail(doc, "mcpServers", "expected an object of servers by name");
        for (Map.Entry<String, JsonNode> e : servers.properties()) {
            String path = "mcpServers." + e.getKey();
            JsonNode v = e.getValue();
            if (!McpNames.valid(e.getKey())) fail(doc, path, "a server name is letters, digits, '-' and '_'");
            if (e.getKey().equals(McpBinding.CODE_MODE)) fail(doc, path, "codeMode is reserved for Lathe's Code Mode switch: give the server another name");
            if (!v.isObject()) fail(doc, path, "expected an object");
            String type = v.path("type").asString("stdio");
            ObjectNode entry = out.putObject(e.getKey());
            if (REMOTE_TYPES.contains(type)) {
                if (!v.path("url").isString()) fail(doc, path + ".url", "expected the server's http:// or https:// URL");
                String written = v.get("url").asString();
                String url = McpJsonVariables.expand(doc, path + ".url", written, env);
                // a URL built from a variable may carry a key: the message then shows the URL as written
                String shown = McpJsonVariables.refersToVariable(written) ? written : url;
                if (!url.matches("(?i)https?://[^/\\s]+.*")) fail(doc, path + ".url", "must be an http:// or https:// URL");
                try {
                    java.net.URI.create(url);
                } catch (IllegalArgumentException bad) {
                    fail(doc, path + ".url", "not a valid URL: " + (shown.equals(url) ? bad.getMessage() : shown));
                }
                entry.put("type", "remote").put("url", url);
                entry.set("headers", stringValues(doc, path + ".headers", v.get("headers"), env));
            } else if (type.equals("stdio")) {
                if (!v.path("command").isString() || v.get("command").asString().isBlank()) {
                    fail(doc, path + ".command", "expected the executable to run");
                }
                var command = entry.put("type", "local").putArray("command")
                        .add(McpJsonVariables.expand(doc, path + ".command", v.get("command").asString(), env));
                JsonNode args = v.get("args");
                if (args != null) {
                    if (!args.isArray()) fail(doc, path + ".args", "expected an array of strings");
                    for (int i = 0; i < args.size(); i++) {
                        if (!args.get(i).isString()) fail(doc, path + ".args[" + i + "]", "expected a string");
                        command.add(McpJsonVariables.expand(doc, path + ".args[" + i + "]", args.get(i).asString(), env));
                    }
                }
                entry.set("env", stringValues(doc, path + ".env", v.get("env"), env));
            } else {
                fail(doc, path + ".type", "expected stdio, http or sse");
            }
        }
        return out;
    }

    private static ObjectNode stringValues(LocatedJson doc, String path, JsonNode v, Map<String, String> env) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (v == null) return out;
        if (!v.isObject()) fail(doc, path, "expected an object of strings");
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isString()) fail(doc, path + "." + e.getKey(), "expected a string");
            out.put(e.getKey(), McpJsonVariables.expand(doc, path + "." + e.getKey(), e.getValue().asString(), env));
        }
        return out;
    }

    private static void fail(LocatedJson doc, String key, String problem) {
        throw new ConfigException(doc.source(), doc.lineOf(key), key, problem);
    }
}
