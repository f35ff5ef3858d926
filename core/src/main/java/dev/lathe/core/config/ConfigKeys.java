package dev.lathe.core.config;

import static dev.lathe.core.trust.KeySpec.key;
import static dev.lathe.core.trust.KeySpec.list;
import static dev.lathe.core.trust.KeySpec.map;
import static dev.lathe.core.trust.Reach.READS_OUTSIDE;
import static dev.lathe.core.trust.Reach.RUNS_CODE;
import static dev.lathe.core.trust.Reach.SENDS_DATA;
import static dev.lathe.core.trust.Reach.WIDENS_PERMISSIONS;
import static dev.lathe.core.trust.Reach.WRITES_OUTSIDE;

import dev.lathe.core.trust.KeyClass;
import dev.lathe.core.trust.KeySpec;
import dev.lathe.core.trust.KeySpec.Naming;
import dev.lathe.core.trust.KeySpec.Part;
import dev.lathe.core.trust.KeySpec.When;
import dev.lathe.core.trust.Withheld.Kind;

/**
 * Every key of {@code lathe.json} at every depth, with what it reaches (DESIGN §30): the one table the loader withholds
 * and pins a project's values by ({@link ReachGate}) and {@code lathe config schema} prints ({@link ReachSchema}). A key
 * {@link ConfigSchema} accepts that is missing here fails {@code ConfigKeysRuleTest}; one that reaches a project's layer
 * anyway is withheld as if it reached everything ({@link dev.lathe.core.trust.Withheld.Kind#UNCLASSED}).
 *
 * <p>How to class a new key: ask what a cloned repository could do with it against the user who opens it. A key that
 * only chooses among what the user configured (a model of theirs) is {@link KeyClass#applied applied}; one that starts
 * a program, sends the user's keys or prompts somewhere, reads or writes outside the project, or lets a call run that
 * would ask is {@link KeyClass#pinned pinned} (withheld until trusted, held back again when it changes); one only the
 * user may set is {@link KeyClass#userOnly user-only}.
 */
final class ConfigKeys {
    private ConfigKeys() {}

    /** The table's root: the top level of {@code lathe.json}. */
    static final KeySpec ROOT = root();

    private static KeySpec root() {
        KeySpec rules = permissionRules();
        return key("lathe.json", "object").fields(
                key("$schema", "string"),
                key("model", "string").says("the model as provider/model: one of the providers the merged configuration defines")
                        .is(KeyClass.applied(SENDS_DATA)),
                key("smallModel", "string").says("the model for titles and summaries").is(KeyClass.applied(SENDS_DATA)),
                key("username", "string"),
                key("store", "string").says("the team server's PostgreSQL URL, read by lathe serve from the user's files").is(KeyClass.userOnly(SENDS_DATA)),
                key("theme", "string", "object").each(key("colour", "string")),
                map("keybinds", key("keys", "string")),
                list("fallback", key("model", "string").is(KeyClass.applied(SENDS_DATA))).says("models to fail over to, in order"),
                list("instructions", key("file", "string").is(KeyClass.pinned(READS_OUTSIDE)).when(When.OUTSIDE_PROJECT)
                        .item(Kind.INSTRUCTIONS_OUTSIDE, Naming.ENTRY)).says("files added to the system prompt; a project's outside it (links resolved) need an external_directory allow"),
                list("plugins", key("folder", "string").is(KeyClass.pinned(RUNS_CODE)).item(Kind.PLUGINS, Naming.ENTRY))
                        .says("Claude Code plugin folders: their hooks and MCP servers run"),
                map("provider", provider()).says("providers by id").fields(acpAgents()),
                rules.says("permission rules: tool -> action or pattern -> action"),
                key("sandbox", "string", "object").says("the bash sandbox: what sandboxed commands may write and reach")
                        .is(KeyClass.pinned(WRITES_OUTSIDE, SENDS_DATA, WIDENS_PERMISSIONS)).item(Kind.SANDBOX_SETTINGS, Naming.KEY)
                        .fields(key("mode", "string"), key("network", "string", "array"), list("writable", key("path", "string")),
                                key("maxProcesses", "integer")),
                key("network", "string").says("local: connect only to loopback and the providers the config writes (a project can only narrow it)"),
                key("snapshot", "boolean"),
                key("autoupdate", "boolean"),
                key("share", "boolean"),
                key("worktree", "object").fields(key("baseRef", "string")),
                key("compaction", "object").fields(key("auto", "boolean"), key("prune", "boolean")),
                key("cache", "object").fields(key("strategy", "string")),
                key("retry", "object").fields(key("maxAttempts", "integer"), key("maxTotalWaitSeconds", "integer"), key("streamIdleTimeoutSeconds", "integer")),
                key("limits", "object").says("spend caps; a project's may only tighten them").fields(key("maxAnswerBytes", "integer"),
                        spend("session"), spend("day"), spend("project")),
                key("server", "object").says("lathe serve's listener and limits, read from the user's files")
                        .is(KeyClass.userOnly(SENDS_DATA, WIDENS_PERMISSIONS)).fields(key("port", "integer"), key("hostname", "string"),
                                key("idleTimeoutMinutes", "integer"), key("maxHeaderBytes", "integer"), key("headerReadTimeoutSeconds", "integer"),
                                key("bodyReadTimeoutSeconds", "integer"), key("maxBodyBytes", "integer"), key("maxEventStreams", "integer"),
                                key("maxEventStreamsPerToken", "integer"), key("eventBufferBytes", "integer")),
                map("agent", agent(rules)).says("agents by name"),
                key("agents", "object").fields(key("maxBackground", "integer"), key("maxTeamMembers", "integer")),
                // reaches nothing: only the server's own layers are read for it (a project's is never looked at)
                key("drain", "object").says("how long a draining team node's running turns may go on, read by lathe serve from its own files")
                        .fields(key("seconds", "integer")),
                key("processes", "object").says("how long background commands the agent started run on, and what their monitors send: set only in the user's own files")
                        .is(KeyClass.userOnly(RUNS_CODE)).fields(key("withClientMinutes", "integer"), key("unattendedMinutes", "integer"),
                                key("maxMinutes", "integer"), key("monitorLines", "integer"), key("monitorBytes", "integer")),
                mcp(),
                lsp(),
                map("command", key("command", "object").fields(key("template", "string"), key("description", "string"), key("agent", "string"),
                        key("model", "string").is(KeyClass.applied(SENDS_DATA)), key("subtask", "boolean"))).says("custom commands by name"),
                key("notify", "object").says("notifications: a webhook or a command, set only in the user's own files")
                        .is(KeyClass.userOnly(SENDS_DATA, RUNS_CODE)).fields(key("webhook", "string"), list("command", key("argument", "string")),
                                list("on", key("event", "string")), key("includeText", "boolean"), key("when", "string")),
                key("telemetry", "object").says("OpenTelemetry export, set only in the user's own files").is(KeyClass.userOnly(SENDS_DATA))
                        .fields(key("otlp", "string"), key("content", "boolean")),
                key("github", "object").fields(key("trigger", "string"),
                        list("allowedBots", key("login", "string")).says("bot accounts whose comments start the agent")
                                .is(KeyClass.pinned(WIDENS_PERMISSIONS)).item(Kind.SETTINGS, Naming.KEY),
                        key("model", "string").is(KeyClass.applied(SENDS_DATA)), key("reviewOnOpen", "boolean")),
                key("websearch", "object").says("the websearch tool's backend: sent the user's search key and every query")
                        .is(KeyClass.pinned(SENDS_DATA)).item(Kind.WEB_SEARCH, Naming.KEY)
                        .fields(key("provider", "string"), key("url", "string"), key("apiKey", "string")),
                hooks(),
                key("formatter", "object").says("accepted for OpenCode's files; not read").each(KeySpec.anything("value")),
                key("experimental", "object").says("accepted; not read").each(KeySpec.anything("value")),
                key("tools", "object").says("accepted for OpenCode's files; not read").each(KeySpec.anything("value")),
                key("defaultMode", "string").says("default, acceptEdits (edits without asking), plan, or auto (only from your own or managed files)")
                        .is(KeyClass.pinned(WIDENS_PERMISSIONS)).when(When.NOT_DEFAULT).item(Kind.PERMISSION_MODES, Naming.KEY_AND_VALUE),
                list("additionalDirectories", key("folder", "string").is(KeyClass.pinned(READS_OUTSIDE, WRITES_OUTSIDE, WIDENS_PERMISSIONS))
                        .item(Kind.PERMISSION_MODES, Naming.FOLDER, Part.FOLDER)).says("folders the file tools reach and the sandbox writes as the project"),
                key("statusLine", "object").says("a command whose first line of output the terminal UI shows")
                        .is(KeyClass.pinned(RUNS_CODE)).item(Kind.STATUS_LINE, Naming.KEY, Part.WHOLE_PINNING_COMMAND)
                        .fields(key("type", "string"), key("command", "string"), key("padding", "integer")),
                managedOnly("allowedProviders"), managedOnly("models"), managedOnly("disableAllowAll"), managedOnly("disableAutoApproval"), managedOnly("requiredMinimumVersion"),
                managedOnly("allowedCommands"), managedOnly("allowedBaseUrls"));
    }

    /**
     * Drops what only the user's own files may set from a project's layer, with a notice, trusted folder or not:
     * {@code notify} and {@code telemetry} would send the folder's sessions to a URL or a command of its choosing
     * (DESIGN §18 "Notifications", §29); {@code server} and {@code store} are the user's server's.
     */
    static void dropUserOnly(tools.jackson.databind.node.ObjectNode layer, String shown, java.nio.file.Path globalConfig) {
        for (String key : userOnly()) {
            if (layer.remove(key) != null) ignored(shown, key, globalConfig);
        }
        // one level down too: permission.auto (DESIGN §31), whose class the table gives as for the top level
        for (KeySpec top : ROOT.fields()) {
            if (!(layer.get(top.name()) instanceof tools.jackson.databind.node.ObjectNode object)) continue;
            for (KeySpec inner : top.fields()) {
                if (inner.keyClass().project() == KeyClass.Project.USER_ONLY && object.remove(inner.name()) != null) {
                    ignored(shown, top.name() + "." + inner.name(), globalConfig);
                }
            }
        }
        // a project never turns auto-approval on, nor Claude Code's auto mode read as it (DESIGN §31)
        if (PermissionModes.AUTO.equals(layer.path(PermissionModes.MODE).asString(""))) {
            layer.remove(PermissionModes.MODE);
            ignored(shown, PermissionModes.MODE + ": " + PermissionModes.AUTO, globalConfig);
        }
    }

    private static void ignored(String shown, String key, java.nio.file.Path globalConfig) {
        LOG.log(System.Logger.Level.WARNING, "lathe: " + shown + ": \"" + key + "\" ignored: it is set only in your own config (" + globalConfig
                + "), never by a project");
    }

    private static final System.Logger LOG = System.getLogger(ConfigKeys.class.getName());

    /** The top-level keys only the user's own files set: a project's are dropped, trusted or not. */
    static java.util.List<String> userOnly() {
        return ROOT.fields().stream().filter(k -> k.keyClass().project() == KeyClass.Project.USER_ONLY).map(KeySpec::name).toList();
    }

    private static KeySpec managedOnly(String name) {
        return key(name, "object", "array", "boolean", "string").says("a managed setting: only managed.json and managed.d/*.json set it");
    }

    private static KeySpec spend(String scope) {
        return key(scope, "object").fields(key("usd", "number"), key("tokens", "integer"));
    }

    private static KeySpec provider() {
        return key("provider", "object").item(Kind.PROVIDER_BASE_URL, Naming.ENTRY, Part.REACHING_KEYS).fields(
                key("protocol", "string"),
                key("baseUrl", "string").says("where requests go, with the user's key").is(KeyClass.pinned(SENDS_DATA)),
                key("apiKey", "string"),
                key("name", "string"),
                key("npm", "string"),
                list("env", key("variable", "string")).says("environment variables the key is read from, sent to the provider")
                        .is(KeyClass.pinned(READS_OUTSIDE, SENDS_DATA)),
                map("headers", key("header", "string").is(KeyClass.pinned(SENDS_DATA)).item(Kind.PROVIDER_HEADERS, Naming.ENTRIES))
                        .says("headers added to every request"),
                map("models", key("model", "object").fields(key("context", "integer"), key("output", "integer"), key("name", "string"),
                        key("id", "string"), key("reasoningEffort", "string"))),
                key("options", "object").says("passed to the provider's requests").each(KeySpec.anything("value")),
                key("oauth", "object").says("where a subscription signs in: a URL the user's sign-in goes to").is(KeyClass.pinned(SENDS_DATA))
                        .fields(key("issuer", "string"), key("api", "string"), key("clientId", "string"), key("redirectPort", "integer")));
    }

    /**
     * {@code provider.acp}: its models are ACP agents (DESIGN §14), each a program the folder chose ({@code command},
     * {@code env}) and a {@code mode} that would change how the user's own agent runs; their {@code name} stays, so a
     * session on one says the command is missing and why.
     */
    private static KeySpec acpAgents() {
        KeySpec agent = key("agent", "object").item(Kind.ACP_AGENTS, Naming.ENTRY, Part.REACHING_KEYS).fields(
                list("command", key("argument", "string")).says("the agent's program and arguments").is(KeyClass.pinned(RUNS_CODE)),
                map("env", key("value", "string")).is(KeyClass.pinned(RUNS_CODE)),
                key("mode", "string").says("how the agent asks (bypassPermissions would ask nothing)").is(KeyClass.pinned(WIDENS_PERMISSIONS)),
                key("name", "string"));
        return key(Config.AgentCommand.PROVIDER, "object").fields(key("name", "string"), map("models", agent));
    }

    /** {@code permission} and {@code agent.NAME.permission}: a rule that allows widens what runs without an ask. */
    private static KeySpec permissionRules() {
        KeySpec rule = key("action", "string").says("allow, ask or deny").is(KeyClass.pinned(WIDENS_PERMISSIONS)).when(When.ALLOWS)
                .item(Kind.ALLOW_RULES, Naming.RULE);
        return key("permission", "string", "object").fields(key("onDeny", "string"), key("unattended", "string"),
                key("auto", "object").says("auto-approval (DESIGN §31): the classifier model and its policy, set only in your own or managed files")
                        .is(KeyClass.userOnly(SENDS_DATA, WIDENS_PERMISSIONS)).fields(key("model", "string"), key("policy", "string"),
                                key("timeoutSeconds", "integer")))
                .each(key("tool", "string", "object").each(rule));
    }

    private static KeySpec agent(KeySpec rules) {
        return key("agent", "object").fields(key("description", "string"), key("prompt", "string"), key("mode", "string"),
                key("model", "string").is(KeyClass.applied(SENDS_DATA)), key("temperature", "number"), key("steps", "integer"), rules,
                key("background", "boolean"), key("tools", "array", "object").each(key("switch", "string", "boolean")));
    }

    private static KeySpec mcp() {
        KeySpec server = key("server", "object").says("a local server is a program the folder chose; a remote one is sent the user's tokens")
                .is(KeyClass.pinned(RUNS_CODE, SENDS_DATA)).item(Kind.MCP_SERVERS, Naming.ENTRY).fields(key("type", "string"),
                        list("command", key("argument", "string")), map("env", key("value", "string")), map("environment", key("value", "string")),
                        key("enabled", "boolean"), key("timeout", "integer"), key("codeMode", "boolean"), key("url", "string"),
                        map("headers", key("value", "string")), key("oauth", "boolean", "object").fields(key("clientId", "string"),
                                key("clientSecret", "string"), key("scope", "string"), key("clientMetadataDocument", "string"),
                                key("issuer", "string").says("the authorization server a configured client secret goes to")));
        return map("mcp", server).says("MCP servers by name, beside the switch codeMode")
                .fields(key(McpBinding.CODE_MODE, "boolean").says("call MCP tools through one code tool"));
    }

    private static KeySpec lsp() {
        KeySpec server = key("server", "boolean", "object").item(Kind.LSP_SERVERS, Naming.ENTRY).fields(
                list("command", key("argument", "string")).says("the server's program").is(KeyClass.pinned(RUNS_CODE)),
                list("extensions", key("extension", "string")), list("rootMarkers", key("marker", "string")),
                key("initialization", "object").says("options some servers load plugins from").is(KeyClass.pinned(RUNS_CODE))
                        .each(KeySpec.anything("value")),
                map("env", key("value", "string")).says("variables such as NODE_OPTIONS run code in a built-in server").is(KeyClass.pinned(RUNS_CODE)),
                key("disabled", "boolean"));
        return map("lsp", server).says("language servers by name, beside the switches warnings and wait")
                .fields(key("warnings", "boolean"), key("wait", "number"));
    }

    private static KeySpec hooks() {
        KeySpec group = key("group", "object").is(KeyClass.pinned(RUNS_CODE, SENDS_DATA)).item(Kind.HOOKS, Naming.HOOK_GROUP)
                .fields(key("matcher", "string"), list("hooks", key("hook", "object").fields(key("type", "string"), key("command", "string"),
                        key("url", "string"), key("timeout", "integer"), key("prompt", "string")).each(KeySpec.anything("option"))));
        return map("hooks", list("event", group)).says("commands (or endpoints) run at tool calls and other events");
    }
}
