package dev.lathe.core.config;

import dev.lathe.core.permission.AutoApproval;
import dev.lathe.core.permission.PermissionPolicy;
import dev.lathe.protocol.NearestName;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Validates one configuration layer: every key known, every value of the right type. Keys of later features
 * ({@code mcp}, {@code lsp}, {@code hooks}, ...) are accepted as objects so configs written for a newer Lathe keep
 * working.
 */
final class ConfigSchema {
    static final Set<String> PROTOCOLS = Set.of("openai-chat", "anthropic-messages", "openai-responses", "gemini", "bedrock-converse");
    static final Set<String> ACTIONS = Set.of("allow", "ask", "deny");
    static final Set<String> NETWORK_MODES = Set.of("open", "local");

    private final LocatedJson doc;

    private ConfigSchema(LocatedJson doc) { this.doc = doc; }

    static void validate(LocatedJson doc) {
        new ConfigSchema(doc).root(doc.root());
    }

    private void root(JsonNode root) {
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            switch (key) {
                case "$schema", "model", "smallModel", "username" -> string(key, v);
                // the team server's store URL (DESIGN §20), read by `lathe serve` from the global layers
                case "store" -> string(key, v);
                // the terminal UI's: a theme name or role -> colour, action -> keys; the UI judges the values
                case "theme" -> {
                    if (v.isObject()) stringValues(key, v);
                    else if (!v.isString()) fail(key, "expected a theme name or an object of role colours");
                }
                case "keybinds" -> stringValues(key, v);
                // Claude Code plugin folders (DESIGN §14), paths relative to the file that names them
                case "fallback", "instructions", "plugins" -> stringArray(key, v);
                case "provider" -> eachObject(key, v, this::provider);
                case "permission" -> permission(key, v);
                case "sandbox" -> sandbox(key, v);
                // local-only mode (decision 120)
                case "network" -> {
                    if (!v.isString() || !NETWORK_MODES.contains(v.asString())) {
                        fail(key, "expected \"open\" (the default) or \"local\" (connect only to loopback and the providers whose baseUrl"
                                + " the config writes)");
                    }
                }
                case "snapshot", "autoupdate", "share" -> bool(key, v);
                // where a session's new git worktree starts (DESIGN §19)
                case "worktree" -> {
                    fields(key, v, Map.of("baseRef", "string"));
                    if (v.has("baseRef")) oneOf(key + ".baseRef", v.get("baseRef"), Set.of("head", "fresh"));
                }
                case "compaction" -> fields(key, v, Map.of("auto", "boolean", "prune", "boolean"));
                // the prompt cache's lifecycle across a pause (DESIGN §28, decision 504)
                case "cache" -> {
                    fields(key, v, Map.of("strategy", "string"));
                    if (v.has("strategy")) oneOf(key + ".strategy", v.get("strategy"), Set.of("auto", "warm", "compact", "none"));
                }
                case "retry" -> fields(key, v, Map.of("maxAttempts", "int", "maxTotalWaitSeconds", "int", "streamIdleTimeoutSeconds", "int"));
                case "limits" -> limits(key, v);
                case "server" -> fields(key, v, Map.ofEntries(Map.entry("port", "int"), Map.entry("hostname", "string"),
                        Map.entry("idleTimeoutMinutes", "int"), Map.entry("maxHeaderBytes", "positive"),
                        Map.entry("headerReadTimeoutSeconds", "positive"), Map.entry("bodyReadTimeoutSeconds", "positive"),
                        Map.entry("maxBodyBytes", "positive"), Map.entry("maxEventStreams", "positive"),
                        Map.entry("maxEventStreamsPerToken", "positive"), Map.entry("eventBufferBytes", "positive")));
                case "agent" -> eachObject(key, v, this::agent);
                // background subagents (DESIGN §22): how many one session runs at once
                case "agents" -> fields(key, v, Map.of("maxBackground", "positive", "maxTeamMembers", "int"));
                case "drain" -> fields(key, v, Map.of("seconds", "int"));  // a draining team node's grace (DESIGN §34)
                case "processes" -> fields(key, v, Map.of("withClientMinutes", "positive", "unattendedMinutes", "positive", "maxMinutes", "positive",
                        "monitorLines", "positive", "monitorBytes", "positive"));
                // servers by name beside the reserved switch codeMode (DESIGN §28), which no server may take as its name
                case "mcp" -> {
                    object(key, v);
                    for (Map.Entry<String, JsonNode> server : v.properties()) {
                        String at = key + "." + server.getKey();
                        if (!server.getKey().equals(McpBinding.CODE_MODE)) mcpServer(at, server.getValue());
                        else if (!server.getValue().isBoolean()) fail(at, "reserved for Code Mode (true or false): no MCP server may be named codeMode");
                    }
                }
                case "lsp" -> lsp(key, v);
                case "command" -> eachObject(key, v, this::command);
                // notifications (DESIGN §18 "Notifications"): the user's own layers only, a project's is dropped (ConfigLoader)
                case "notify" -> notify(key, v);
                // OpenTelemetry (DESIGN §29): the user's own layers only, as notify
                case "telemetry" -> {
                    fields(key, v, Map.of("otlp", "string", "content", "boolean"));
                    JsonNode otlp = v.path("otlp");
                    if (otlp.isString() && !webUrl(otlp.asString())) fail(key + ".otlp", "expected the collector's http:// or https:// URL, e.g. \"http://localhost:4318\"");
                }
                // lathe github run (DESIGN §18 "GitHub"): read by the command from the merged configuration
                case "github" -> github(key, v);
                // the websearch tool's backend (DESIGN §29); the managed-only keys name where they belong
                case "websearch" -> websearch(key, v);
                case "allowedProviders", "models", "disableAllowAll", "disableAutoApproval", "requiredMinimumVersion", "allowedCommands", "allowedBaseUrls" ->
                        fail(key, "a managed setting: only managed.json and managed.d/*.json set it (docs/managed-settings.md)");
                case "hooks", "formatter", "experimental", "tools" -> object(key, v);
                // DESIGN §27: as Claude Code's permissions.defaultMode and additionalDirectories (PermissionModes)
                case "defaultMode" -> {
                    if (v.isString() && v.asString().equals("bypassPermissions")) fail(key, PermissionModes.NO_BYPASS);
                    oneOf(key, v, PermissionModes.MODES);
                }
                case "additionalDirectories" -> stringArray(key, v);
                case "statusLine" -> {
                    fields(key, v, Map.of("type", "string", "command", "string", "padding", "int"));
                    oneOf(key + ".type", v.path("type"), Set.of("command"));
                    if (v.path("command").asString("").isBlank()) fail(key + ".command", "expected the shell command whose first line of output is shown");
                }
                default -> fail(key, "unknown key" + KeySuggestion.of(key));
            }
        }
    }

    /** The largest {@code limits.*.tokens}: 10^15, as many tokens as {@code usd}'s 10^9 dollars are micro-dollars. */
    static final long MAX_TOKENS_CAP = 1_000_000_000_000_000L;

    /** {@code limits}: {@code maxAnswerBytes}, and the spend caps {@code session}, {@code day}, {@code project} (decision 119). */
    private void limits(String path, JsonNode v) {
        object(path, v);
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String key = path + "." + e.getKey();
            JsonNode f = e.getValue();
            switch (e.getKey()) {
                case "maxAnswerBytes" -> { if (!f.isIntegralNumber() || f.asLong() < 0) fail(key, "expected a non-negative whole number"); }
                case "session", "day", "project" -> {
                    object(key, f);
                    for (Map.Entry<String, JsonNode> unit : f.properties()) {
                        String unitKey = key + "." + unit.getKey();
                        JsonNode u = unit.getValue();
                        switch (unit.getKey()) {
                            // a cap of 0 would stop every step before it starts; to have none, leave the key out
                            // bounded so a cap plus what was spent (a raise) stays far inside a long
                            case "usd" -> {
                                if (!u.isNumber() || !(u.asDouble() >= 0.000001) || u.asDouble() > 1e9) {
                                    fail(unitKey, "expected an amount in US dollars from 0.000001 to 1000000000, e.g. 5 or 2.50");
                                }
                            }
                            case "tokens" -> {
                                if (!u.isIntegralNumber() || u.asLong() < 1 || u.asLong() > MAX_TOKENS_CAP) {
                                    fail(unitKey, "expected a whole number of tokens from 1 to " + MAX_TOKENS_CAP + ", e.g. 2000000");
                                }
                            }
                            default -> fail(unitKey, "unknown key (expected usd, tokens)");
                        }
                    }
                }
                default -> fail(key, "unknown key (expected one of day, maxAnswerBytes, project, session)");
            }
        }
    }

    private void provider(String path, JsonNode v) {
        if (path.equals("provider." + Config.AgentCommand.PROVIDER)) {
            agentProvider(path, v);
            return;
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String key = path + "." + e.getKey();
            JsonNode f = e.getValue();
            switch (e.getKey()) {
                case "protocol" -> oneOf(key, f, PROTOCOLS);
                case "baseUrl" -> {
                    string(key, f);
                    if (!f.asString().matches("(?i)https?://.+") && !f.asString().startsWith("{env:")) {
                        fail(key, "must be an http:// or https:// URL");
                    }
                }
                case "apiKey", "name", "npm" -> string(key, f);
                case "env" -> stringArray(key, f);
                case "headers" -> {
                    object(key, f);
                    for (Map.Entry<String, JsonNode> h : f.properties()) string(key + "." + h.getKey(), h.getValue());
                }
                case "models" -> eachObject(key, f, (mPath, m) -> {
                    fields(mPath, m, Map.of("context", "int", "output", "int", "name", "string", "id", "string", "reasoningEffort", "string"));
                    if (m.has("reasoningEffort")) oneOf(mPath + ".reasoningEffort", m.get("reasoningEffort"), Set.of("low", "medium", "high"));
                });
                case "options" -> object(key, f);
                case "oauth" -> {
                    fields(key, f, Map.of("issuer", "string", "api", "string", "clientId", "string", "redirectPort", "int"));
                    // the sign-in builds its URLs from these: checked as URLs here, not thrown at when a client starts one.
                    // {env:…}/{file:…} are expanded after validation: the URL is checked around them (as an MCP url), and
                    // one that begins with them is checked once expanded (ConfigLoader)
                    for (String url : new String[] {"issuer", "api"}) {
                        if (!f.has(url)) continue;
                        String written = f.get(url).asString();
                        boolean expandedLater = written.startsWith("{") && ConfigLoader.SUBSTITUTION.matcher(written).lookingAt();
                        if (!expandedLater && !webUrl(ConfigLoader.SUBSTITUTION.matcher(written).replaceAll("x"))) {
                            fail(key + "." + url, OAUTH_URL_PROBLEM);
                        }
                    }
                    // 0: any free port (a test's own authorization server; OpenAI's accepts only the plan's 1455)
                    if (f.has("redirectPort") && f.get("redirectPort").asLong() > 65535) fail(key + ".redirectPort", "expected a port from 1 to 65535 (or 0: any free port)");
                }
                default -> fail(key, "unknown key (expected protocol, baseUrl, apiKey, headers, models, name, oauth)");
            }
        }
    }

    private static final String ACP_AGENT_KEYS = "command, env, mode, name";

    /**
     * {@code provider.acp} (DESIGN §14): its {@code models} are ACP agents, each {@code {command: [executable, args...],
     * env?: {NAME: value}, name?}}; the provider takes no protocol, URL or key (the agent signs in by itself).
     */
    private void agentProvider(String path, JsonNode v) {
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String key = path + "." + e.getKey();
            switch (e.getKey()) {
                case "name" -> string(key, e.getValue());
                case "models" -> eachObject(key, e.getValue(), this::agentModel);
                default -> fail(key, "unknown key: the acp provider's models are ACP agents (expected models, each with " + ACP_AGENT_KEYS + ")");
            }
        }
    }

    /** A command as OpenCode defines one: {@code template} (required), {@code description}, {@code agent}, {@code model}, {@code subtask}. */
    private void command(String path, JsonNode v) {
        if (!v.has("template")) fail(path, "missing template (the prompt the command sends; $ARGUMENTS stands for what follows /NAME)");
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String key = path + "." + e.getKey();
            switch (e.getKey()) {
                case "template", "description", "agent", "model" -> string(key, e.getValue());
                case "subtask" -> bool(key, e.getValue());
                default -> fail(key, "unknown key (expected template, description, agent, model or subtask)");
            }
        }
    }

    private void agentModel(String path, JsonNode v) {
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String key = path + "." + e.getKey();
            JsonNode f = e.getValue();
            switch (e.getKey()) {
                case "command" -> {
                    stringArray(key, f);
                    if (f.isEmpty() || f.get(0).asString().isBlank()) fail(key, "expected the agent's executable and its arguments, e.g. [\"npx\", \"-y\", \"@agentclientprotocol/claude-agent-acp\"]");
                }
                case "env" -> stringValues(key, f);
                case "name", "mode" -> string(key, f);
                default -> fail(key, "unknown key (expected one of " + ACP_AGENT_KEYS + ")");
            }
        }
    }

    static final Set<String> SANDBOX_MODES = Set.of("auto", "on", "off");

    /** {@code "auto" | "on" | "off"} or {@code {mode, network: "off" | "on" | [hosts], writable: [paths]}}. */
    private void sandbox(String path, JsonNode v) {
        if (v.isString()) {
            oneOf(path, v, SANDBOX_MODES);
            return;
        }
        if (!v.isObject()) fail(path, "expected \"auto\", \"on\", \"off\" or an object with mode, network, writable, maxProcesses");
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String key = path + "." + e.getKey();
            JsonNode f = e.getValue();
            switch (e.getKey()) {
                case "mode" -> oneOf(key, f, SANDBOX_MODES);
                case "network" -> {
                    if (f.isArray()) stringArray(key, f);
                    else if (!f.isString() || !Set.of("on", "off").contains(f.asString())) fail(key, "expected \"off\", \"on\" or an array of host names");
                }
                case "writable" -> stringArray(key, f);
                case "maxProcesses" -> {
                    if (!f.isIntegralNumber() || f.asLong() < 8 || f.asLong() > 100_000) fail(key, "expected a whole number from 8 to 100000");
                }
                default -> fail(key, "unknown key (expected one of mode, network, writable, maxProcesses)");
            }
        }
    }

    /**
     * One {@code mcp.<name>} entry (DESIGN §14): {@code {type: "local", command: [...], env?, enabled?, timeout?}} or
     * {@code {type: "remote", url, headers?, oauth?, enabled?, timeout?}}; {@code timeout} in milliseconds (as in
     * OpenCode, whose entries users copy), {@code oauth} {@code false} or an object the OAuth part reads.
     */
    private void mcpServer(String path, JsonNode v) {
        if (!v.isObject()) fail(path, "expected an object with type \"local\" or \"remote\"");
        if (!v.has("type")) fail(path, "missing type (\"local\" or \"remote\")");
        oneOf(path + ".type", v.get("type"), Set.of("local", "remote"));
        boolean local = v.get("type").asString().equals("local");
        if (!McpNames.valid(path.substring(path.indexOf('.') + 1))) {
            fail(path, "a server name is letters, digits, '-' and '_' (it prefixes its tools' names: NAME_TOOL)");
        }
        if (local && !v.has("command")) fail(path, "missing command (an array: the executable and its arguments)");
        if (!local && !v.has("url")) fail(path, "missing url");
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String key = path + "." + e.getKey();
            JsonNode f = e.getValue();
            switch (e.getKey()) {
                case "type" -> { }
                case "enabled", McpBinding.CODE_MODE -> bool(key, f);
                case "timeout" -> {
                    if (!f.isIntegralNumber() || f.asLong() < 1 || f.asLong() > 3_600_000) fail(key, "expected milliseconds from 1 to 3600000");
                }
                case "command" -> {
                    if (!local) fail(key, "only a local server has a command");
                    stringArray(key, f);
                    if (f.isEmpty() || f.get(0).asString().isBlank()) fail(key, "expected the executable and its arguments");
                }
                case "env", "environment" -> {
                    if (!local) fail(key, "only a local server has an environment (a remote one has headers)");
                    stringValues(key, f);
                }
                case "url" -> {
                    if (local) fail(key, "only a remote server has a url");
                    string(key, f);
                    // {env:…}/{file:…} are expanded after validation: check the URL around them
                    String url = ConfigLoader.SUBSTITUTION.matcher(f.asString()).replaceAll("x");
                    if (!url.matches("(?i)https?://[^/\\s]+.*") && !f.asString().startsWith("{")) fail(key, "must be an http:// or https:// URL");
                    parses(key, url);
                }
                case "headers" -> {
                    if (local) fail(key, "only a remote server has headers");
                    stringValues(key, f);
                }
                case "oauth" -> {
                    if (local) fail(key, "only a remote server uses OAuth");
                    if (!f.isObject() && !(f.isBoolean() && !f.asBoolean())) fail(key, "expected false or an object");
                    if (f.isObject()) mcpOAuth(key, f);
                }
                default -> fail(key, "unknown key (expected " + (local ? "type, command, env, enabled, timeout, codeMode" : "type, url, headers, oauth, enabled, timeout, codeMode") + ")");
            }
        }
    }

    /** The switches of {@code lsp} beside its servers: names no server may take (docs/config.md). */
    static final Set<String> LSP_SWITCHES = Set.of("warnings", "wait");
    private static final String LSP_SERVER_KEYS = "command, extensions, rootMarkers, initialization, env, disabled";

    /**
     * {@code lsp} (DESIGN §14): {@code true}/{@code false}, or an object of servers by name, each {@code false} (disable a
     * built-in) or {@code {command?, extensions?, rootMarkers?, initialization?, env?, disabled?}}, beside the switches
     * {@code warnings} (boolean) and {@code wait} (seconds, 1 to 600).
     */
    private void lsp(String path, JsonNode v) {
        if (v.isBoolean()) return;
        if (!v.isObject()) fail(path, "expected false, true or an object of language servers by name");
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String key = path + "." + e.getKey();
            JsonNode f = e.getValue();
            switch (e.getKey()) {
                case "warnings" -> bool(key, f);
                case "wait" -> {
                    if (!f.isNumber() || f.asDouble() <= 0 || f.asDouble() > 600) fail(key, "expected seconds, more than 0 and at most 600");
                }
                default -> lspServer(key, f);
            }
        }
    }

    private void lspServer(String path, JsonNode v) {
        if (!McpNames.valid(path.substring(path.indexOf('.') + 1))) fail(path, "a server name is letters, digits, '-' and '_'");
        if (v.isBoolean()) {
            if (v.asBoolean()) fail(path, "expected false (to disable a built-in server) or an object");
            return;
        }
        if (!v.isObject()) fail(path, "expected false (to disable a built-in server) or an object with " + LSP_SERVER_KEYS);
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String key = path + "." + e.getKey();
            JsonNode f = e.getValue();
            switch (e.getKey()) {
                case "command" -> {
                    stringArray(key, f);
                    if (f.isEmpty() || f.get(0).asString().isBlank()) fail(key, "expected the executable and its arguments");
                }
                case "extensions" -> {
                    stringArray(key, f);
                    for (JsonNode x : f) if (x.asString().isBlank() || x.asString().contains("/")) fail(key, "expected file extensions such as \"py\" or \".py\"");
                }
                case "rootMarkers" -> stringArray(key, f);
                case "initialization" -> object(key, f);
                case "env" -> stringValues(key, f);
                case "disabled" -> bool(key, f);
                default -> fail(key, "unknown key (expected one of " + LSP_SERVER_KEYS + ")");
            }
        }
    }

    /** {@code oauth: {clientId?, clientSecret?, scope?, clientMetadataDocument?, issuer?}}: what {@code OAuthSettings} reads. */
    private void mcpOAuth(String path, JsonNode o) {
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            String key = path + "." + e.getKey();
            JsonNode f = e.getValue();
            switch (e.getKey()) {
                case "clientId", "clientSecret", "scope" -> {
                    string(key, f);
                    if (f.asString().isBlank()) fail(key, "must not be empty");
                }
                // the document's URL is the client_id: the spec requires https with a path
                case "clientMetadataDocument" -> url(key, f, "(?i)https://[^/\\s]+/\\S+", "must be an https:// URL with a path");
                // the authorization server the configured client belongs to: its secret goes to this issuer only
                case "issuer" -> url(key, f, "(?i)https?://[^/\\s]+\\S*", "must be an http:// or https:// URL");
                default -> fail(key, "unknown key (expected clientId, clientSecret, scope, clientMetadataDocument, issuer)");
            }
        }
        if (o.has("clientSecret") && !o.has("clientId")) fail(path + ".clientSecret", "a client secret needs its clientId");
    }

    /** A string that matches {@code form} ({@code problem} when not) and that {@code java.net.URI} parses. */
    private void url(String key, JsonNode f, String form, String problem) {
        string(key, f);
        if (!f.asString().matches(form)) fail(key, problem);
        parses(key, f.asString());
    }

    private void parses(String key, String url) {
        try {
            java.net.URI.create(url);
        } catch (IllegalArgumentException bad) {
            fail(key, "not a valid URL: " + bad.getMessage());
        }
    }

    static final Set<String> AGENT_MODES = Set.of("primary", "subagent", "all");
    private static final String AGENT_KEYS = "background, description, mode, model, permission, prompt, steps, temperature, tools";

    /** One {@code agent.<name>} object (the fields of {@code Agent}; DESIGN §11). */
    private void agent(String path, JsonNode agent) {
        if (!agent.isObject()) fail(path, "expected an object");
        for (Map.Entry<String, JsonNode> e : agent.properties()) {
            String key = path + "." + e.getKey();
            JsonNode f = e.getValue();
            switch (e.getKey()) {
                case "description", "prompt" -> string(key, f);
                case "mode" -> oneOf(key, f, AGENT_MODES);
                case "model" -> {
                    string(key, f);
                    if (!f.asString().contains("/") && !f.asString().startsWith("{env:")) fail(key, "expected provider/model");
                }
                case "temperature" -> {
                    if (!f.isNumber() || f.asDouble() < 0 || f.asDouble() > 2) fail(key, "expected a number from 0 to 2");
                }
                case "steps" -> {
                    if (!f.isIntegralNumber() || f.asInt() < 1) fail(key, "expected a whole number of at least 1");
                }
                case "permission" -> permission(key, f);
                // the task tool runs the agent in the background unless a call says otherwise (as an agent file's front matter)
                case "background" -> bool(key, f);
                case "tools" -> {
                    if (f.isArray()) {
                        stringArray(key, f);
                    } else if (f.isObject()) {
                        for (Map.Entry<String, JsonNode> t : f.properties()) bool(key + "." + t.getKey(), t.getValue());
                    } else {
                        fail(key, "expected an array of tool names or an object of tool name → true/false");
                    }
                }
                default -> fail(key, "unknown key (expected one of " + AGENT_KEYS + ")");
            }
        }
    }

    private void permission(String path, JsonNode v) {
        if (v.isString()) {
            oneOf(path, v, ACTIONS);
            return;
        }
        object(path, v);
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String key = path + "." + e.getKey();
            // onDeny, unattended (DESIGN §26) and auto (§31) are settings of the whole config, not rules of a tool so named
            if (PermissionPolicy.reserved(e.getKey())) {
                if (!path.equals("permission")) fail(key, "\"" + e.getKey() + "\" is set for the whole config, in the top-level \"permission\", not per agent");
                if (e.getKey().equals(AutoApproval.KEY)) AutoApproval.problem(e.getValue()).ifPresent(p -> fail(key + "." + p.key(), p.message()));
                else if (!e.getValue().isString()) fail(key, "expected a string");
                else PermissionPolicy.problem(e.getKey(), e.getValue().asString()).ifPresent(p -> fail(key, p));
                continue;
            }
            if (e.getValue().isString()) {
                oneOf(key, e.getValue(), ACTIONS);
            } else if (e.getValue().isObject()) {
                for (Map.Entry<String, JsonNode> rule : e.getValue().properties()) oneOf(key + "." + rule.getKey(), rule.getValue(), ACTIONS);
            } else {
                fail(key, "expected \"allow\", \"ask\", \"deny\" or an object of pattern → action");
            }
        }
    }

    /** {@code notify}: {@code webhook} an http(s) URL (or a substitution), {@code command}, {@code on}, {@code includeText}, {@code when}. */
    private void notify(String path, JsonNode v) {
        fields(path, v, Map.of("webhook", "string", "command", "strings", "on", "strings", "includeText", "boolean", "when", "string"));
        if (v.path("when").isString()) oneOf(path + ".when", v.get("when"), NotifyConfig.WHEN);
        JsonNode webhook = v.path("webhook");
        if (webhook.isString() && !ConfigLoader.SUBSTITUTION.matcher(webhook.asString()).find() && !webUrl(webhook.asString())) {
            fail(path + ".webhook", "expected an http:// or https:// URL, e.g. \"https://ntfy.sh/my-topic\"");
        }
        if (v.has("command") && v.get("command").isEmpty()) fail(path + ".command", "expected the program and its arguments, e.g. [\"notify-send\", \"Lathe\"]");
        int i = 0;
        for (JsonNode event : v.path("on")) oneOf(path + ".on[" + i++ + "]", event, NotifyConfig.EVENTS);
    }

    /** {@code github}: {@code trigger} one word a comment must hold, {@code allowedBots} bot logins, {@code model}, {@code reviewOnOpen}. */
    private void github(String path, JsonNode v) {
        fields(path, v, Map.of("trigger", "string", "allowedBots", "strings", "model", "string", "reviewOnOpen", "boolean"));
        JsonNode trigger = v.path("trigger");
        if (trigger.isString() && !trigger.asString().matches("\\S+")) fail(path + ".trigger", "expected one word with no spaces, e.g. \"/lathe\"");
    }

    private void fields(String path, JsonNode v, Map<String, String> types) {
        object(path, v);
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String key = path + "." + e.getKey();
            String type = types.get(e.getKey());
            if (type == null) {
                fail(key, "unknown key (expected one of " + String.join(", ", types.keySet().stream().sorted().toList()) + ")");
            }
            switch (type) {
                case "int" -> {
                    if (!e.getValue().isIntegralNumber() || e.getValue().asLong() < 0) fail(key, "expected a non-negative whole number");
                }
                case "positive" -> {
                    // a limit of 0 would refuse everything; above 2^31 - 9 no Java array could hold it
                    if (!e.getValue().isIntegralNumber() || e.getValue().asLong() < 1 || e.getValue().asLong() > Integer.MAX_VALUE - 8) {
                        fail(key, "expected a whole number from 1 to " + (Integer.MAX_VALUE - 8));
                    }
                }
                case "boolean" -> bool(key, e.getValue());
                case "strings" -> stringArray(key, e.getValue());
                default -> string(key, e.getValue());
            }
        }
    }

    private void eachObject(String path, JsonNode v, java.util.function.BiConsumer<String, JsonNode> check) {
        object(path, v);
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String key = path + "." + e.getKey();
            object(key, e.getValue());
            check.accept(key, e.getValue());
        }
    }

    private void object(String key, JsonNode v) { if (!v.isObject()) fail(key, "expected an object"); }

    private void string(String key, JsonNode v) { if (!v.isString()) fail(key, "expected a string"); }

    /** An object whose every value is a string. */
    private void stringValues(String key, JsonNode v) {
        object(key, v);
        for (Map.Entry<String, JsonNode> e : v.properties()) string(key + "." + e.getKey(), e.getValue());
    }

    private void bool(String key, JsonNode v) { if (!v.isBoolean()) fail(key, "expected true or false"); }

    private void stringArray(String key, JsonNode v) {
        if (!v.isArray()) fail(key, "expected an array of strings");
        Iterator<JsonNode> it = v.iterator();
        int i = 0;
        while (it.hasNext()) string(key + "[" + i++ + "]", it.next());
    }

    /** An enum value: a wrong one is echoed (as JSON, so no control character reaches a terminal) with the nearest allowed one (issue 53). */
    private void oneOf(String key, JsonNode v, Set<String> allowed) {
        if (v.isString() && allowed.contains(v.asString())) return;
        String got = v.isString() ? shown(v) : v.isObject() ? "an object" : v.isArray() ? "an array" : shown(v);
        String near = v.isString() ? NearestName.of(v.asString(), allowed).map(n -> "; did you mean \"" + n + "\"?").orElse("") : "";
        fail(key, "expected one of " + String.join(", ", allowed.stream().sorted().toList()) + ", got " + got + near);
    }

    /** A value as JSON, cut to a readable length. */
    private static String shown(JsonNode v) {
        String json = v.toString();
        return json.length() <= 60 ? json : json.substring(0, 57) + "...";
    }

    /** What a {@code provider.NAME.oauth} issuer or api that is no URL is told. */
    static final String OAUTH_URL_PROBLEM = "must be an http:// or https:// URL with a host";

    /** An absolute http(s) URL with a host, which {@code java.net.URI} parses. */
    static boolean webUrl(String text) {
        try {
            var uri = new java.net.URI(text);
            return uri.getScheme() != null && uri.getScheme().matches("(?i)https?") && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private void fail(String key, String problem) {
        throw new ConfigException(doc.source(), doc.lineOf(key), key, problem);
    }

    private void websearch(String key, JsonNode v) {
        fields(key, v, Map.of("provider", "string", "url", "string", "apiKey", "string"));
        if (!WebSearchConfig.PROVIDERS.contains(v.path("provider").asString(""))) fail(key + ".provider", "expected one of " + String.join(", ", WebSearchConfig.PROVIDERS));
        String url = v.path("url").asString("");
        if (!url.isEmpty() && !url.contains("{") && !webUrl(url)) fail(key + ".url", "expected the backend's http:// or https:// base URL");
    }
}
