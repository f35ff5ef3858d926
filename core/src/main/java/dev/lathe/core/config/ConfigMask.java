package dev.lathe.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replaces every secret of a configuration tree by {@code "***"} before clients see it:
 * <ul>
 *   <li>every string (or list of strings) under a key that names a credential, anywhere ({@code apiKey}, {@code Authorization},
 *       {@code x-api-key}, {@code token}, {@code password}, {@code secret}, {@code cookie}, ...);</li>
 *   <li>every value of an MCP server's {@code env}/{@code environment}, of a language server's {@code env} and of an
 *       ACP agent's {@code env} ({@code provider.acp.models.NAME.env}), whatever the variable is called;</li>
 *   <li>header values that carry a scheme and a credential ({@code Bearer …}, {@code Basic …});</li>
 *   <li>any other string that contains a value masked above (a key pasted into a URL as well).</li>
 * </ul>
 * Permission rules are left alone: their keys are patterns ({@code "git push --token*"}) and their values actions.
 * Over-masking is the safe side: a masked value is never needed by a client, which can always write a new one.
 */
final class ConfigMask {
    static final String MASK = "***";
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(api[-_]?key|apikey|token|secret|passw(or)?d|auth|credential|cookie|private[-_]?key|access[-_]?key|session[-_]?key|^store$).*");
    private static final Pattern CREDENTIAL_VALUE = Pattern.compile("(?i)^\\s*(bearer|basic|token)\\s+\\S+.*");
    private static final Pattern TEMPLATE = Pattern.compile("^\\{(env|file):[^}]+}$");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConfigMask() {}

    /** A masked copy of {@code root}, as compact JSON. */
    static String json(ObjectNode root) {
        return JSON.writeValueAsString(mask(root));
    }

    /** A masked copy of {@code root}; the argument is left unchanged. */
    static ObjectNode mask(ObjectNode root) {
        ObjectNode copy = root.deepCopy();
        List<String> secrets = new ArrayList<>();
        walk(copy, "", secrets);
        if (!secrets.isEmpty()) spread(copy, secrets);
        return copy;
    }

    private static void walk(JsonNode node, String path, List<String> secrets) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> e : new ArrayList<>(object.properties())) {
                String key = e.getKey();
                String child = path.isEmpty() ? key : path + "." + key;
                if (isPermission(path, key)) continue;
                // only leaves are masked by their name: an object named like a secret ("github-auth" server) is structure
                boolean leaf = !(e.getValue() instanceof ObjectNode);
                if (leaf && SECRET_KEY.matcher(key).matches() || isMcpEnvironment(path, key)) {
                    object.set(key, masked(e.getValue(), secrets));
                } else if (e.getValue().isString() && isHeader(path) && CREDENTIAL_VALUE.matcher(e.getValue().asString()).matches()) {
                    object.set(key, masked(e.getValue(), secrets));
                } else {
                    walk(e.getValue(), child, secrets);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode item : array) walk(item, path + "[]", secrets);
        }
    }

    /** Every string leaf of {@code value} masked (an object of credentials, a list of them); other leaves kept. */
    private static JsonNode masked(JsonNode value, List<String> secrets) {
        if (value.isString()) {
            String text = value.asString();
            // a literal key is looked for elsewhere too; a template names a variable or file, not the key itself
            if (text.length() >= 6 && !TEMPLATE.matcher(text.strip()).matches()) secrets.add(text);
            return JsonNodeFactory.instance.stringNode(MASK);
        }
        if (value instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> e : new ArrayList<>(object.properties())) object.set(e.getKey(), masked(e.getValue(), secrets));
        } else if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) array.set(i, masked(array.get(i), secrets));
        }
        return value;
    }

    private static void spread(JsonNode node, List<String> secrets) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> e : new ArrayList<>(object.properties())) {
                if (e.getValue().isString()) {
                    object.put(e.getKey(), without(e.getValue().asString(), secrets));
                } else {
                    spread(e.getValue(), secrets);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isString()) array.set(i, JsonNodeFactory.instance.stringNode(without(array.get(i).asString(), secrets)));
                else spread(array.get(i), secrets);
            }
        }
    }

    private static String without(String text, List<String> secrets) {
        String out = text;
        for (String s : secrets) out = out.replace(s, MASK);
        return out;
    }

    /** {@code permission} at the top or under an agent: patterns and actions, never secrets. */
    private static boolean isPermission(String path, String key) {
        return key.equals("permission") && (path.isEmpty() || path.matches("agent\\.[^.]+"));
    }

    private static boolean isMcpEnvironment(String path, String key) {
        // a language server's env (lsp.NAME.env) and an ACP agent's are a child's environment just the same
        return (key.equals("env") || key.equals("environment")) && path.matches("(mcp|lsp)\\.[^.]+|provider\\.acp\\.models\\.[^.]+");
    }

    private static boolean isHeader(String path) {
        return path.endsWith(".headers") || path.equals("headers");
    }
}
