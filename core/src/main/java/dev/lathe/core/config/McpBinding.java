package dev.lathe.core.config;

import dev.lathe.mcp.McpServerSpec;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The merged, validated {@code mcp} object as {@link McpServerSpec}s, in the order the layers named them. */
final class McpBinding {
    /** The key of {@code mcp} that switches Code Mode on for every server, and of a server's entry for that one alone. */
    static final String CODE_MODE = "codeMode";

    private McpBinding() {}

    static Map<String, McpServerSpec> servers(JsonNode mcp) {
        Map<String, McpServerSpec> out = new LinkedHashMap<>();
        boolean codeMode = mcp.path(CODE_MODE).asBoolean(false);
        for (Map.Entry<String, JsonNode> e : mcp.properties()) {
            if (e.getKey().equals(CODE_MODE)) continue;
            // a server's own codeMode overrides the switch beside the servers
            var offer = e.getValue().path(CODE_MODE).asBoolean(codeMode) ? McpServerSpec.Offer.CODE_MODE : McpServerSpec.Offer.DIRECT;
            out.put(e.getKey(), server(e.getKey(), e.getValue(), offer));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static McpServerSpec server(String name, JsonNode v, McpServerSpec.Offer offer) {
        var activation = v.path("enabled").asBoolean(true) ? McpServerSpec.Activation.ENABLED : McpServerSpec.Activation.DISABLED;
        Duration timeout = v.has("timeout") ? Duration.ofMillis(v.get("timeout").asLong()) : McpServerSpec.DEFAULT_TIMEOUT;
        // layers merge deeply, so a later layer's type decides which of the fields apply
        if (v.path("type").asString("local").equals("remote")) {
            var oauth = oauth(v.path("oauth"));
            return new McpServerSpec.Remote(name, url(name, v.path("url").asString()), ConfigLoader.strings(v.get("headers")),
                    oauth, activation, timeout, offer);
        }
        java.util.List<String> command = new java.util.ArrayList<>();
        v.path("command").forEach(n -> command.add(n.asString()));
        Map<String, String> env = new LinkedHashMap<>(ConfigLoader.strings(v.get("environment")));
        env.putAll(ConfigLoader.strings(v.get("env")));
        return new McpServerSpec.Local(name, command, env, activation, timeout, offer);
    }

    /** The URL once {@code {env:…}} is expanded; the value is not shown, a variable may hold a key. */
    private static URI url(String name, String expanded) {
        try {
            URI uri = URI.create(expanded);
            if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?")) throw new IllegalArgumentException();
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config", 0, "mcp." + name + ".url",
                    "not an http:// or https:// URL once its {env:…}/{file:…} substitutions are expanded");
        }
    }

    /** {@code false} turns OAuth off; an object (validated by {@link ConfigSchema}) or nothing keeps it automatic. */
    private static McpServerSpec.OAuth oauth(JsonNode o) {
        if (o.isBoolean() && !o.asBoolean()) return McpServerSpec.OAuth.OFF;
        if (!o.isObject()) return McpServerSpec.OAuth.AUTOMATIC;
        return new McpServerSpec.OAuth.Automatic(text(o, "clientId"), text(o, "clientSecret"), text(o, "scope"),
                text(o, "clientMetadataDocument").map(URI::create), text(o, "issuer").map(URI::create));
    }

    private static java.util.Optional<String> text(JsonNode o, String key) {
        return o.path(key).isString() ? java.util.Optional.of(o.get(key).asString()) : java.util.Optional.empty();
    }
}
