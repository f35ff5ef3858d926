package dev.lathe.core.config;

import dev.lathe.core.permission.AutoApproval;
import dev.lathe.core.hooks.Hook;
import dev.lathe.core.permission.PermissionPolicy;
import dev.lathe.core.trust.Withheld;
import dev.lathe.llm.ReasoningEffort;
import dev.lathe.tools.ProcessLauncher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Turns the merged, validated tree into {@link Config}. */
final class ConfigBinder {
    private ConfigBinder() {}

    /**
     * A normalised {@code permission} object ({@code tool → pattern → action}) as rules in order, each with the layer
     * {@code origins} says wrote it ({@code agent}: whose section it is in, empty for the top level).
     */
    static List<Config.PermissionRuleConfig> permissionRules(JsonNode permission, PermissionOrigins origins, String agent) {
        List<Config.PermissionRuleConfig> rules = new ArrayList<>();
        for (Map.Entry<String, JsonNode> tool : permission.properties()) {
            if (PermissionPolicy.reserved(tool.getKey())) continue;
            for (Map.Entry<String, JsonNode> rule : tool.getValue().properties()) {
                rules.add(new Config.PermissionRuleConfig(tool.getKey(), rule.getKey(), rule.getValue().asString(),
                        origins.of(agent, tool.getKey(), rule.getKey())));
            }
        }
        return rules;
    }

    /** {@code origins}: the layer each permission rule comes from; {@code instructionsFrom}: the layer that wrote {@code instructions}. */
    static Config bind(ObjectNode root, List<String> sources, List<Config.PermissionRuleConfig> managed, PermissionOrigins origins,
            Config.RuleSource instructionsFrom, List<Withheld> withheld, List<Hook> hooks) {
        Map<String, Config.ProviderConfig> providers = new LinkedHashMap<>();
        JsonNode providerNode = root.path("provider");
        for (Map.Entry<String, JsonNode> e : providerNode.properties()) {
            JsonNode p = e.getValue();
            Map<String, Config.ModelConfig> models = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> m : p.path("models").properties()) {
                models.put(m.getKey(), new Config.ModelConfig(
                        text(m.getValue(), "id").orElse(m.getKey()),
                        m.getValue().path("context").asInt(0),
                        m.getValue().path("output").asInt(0),
                        text(m.getValue(), "reasoningEffort").flatMap(ReasoningEffort::parse),
                        agentCommand(e.getKey(), m.getValue())));
            }
            providers.put(e.getKey(), new Config.ProviderConfig(e.getKey(), text(p, "protocol"), text(p, "baseUrl"),
                    text(p, "apiKey").filter(k -> !k.isBlank()), ConfigLoader.strings(p.get("headers")), models, oauth(p.path("oauth"))));
        }
        List<Config.PermissionRuleConfig> rules = permissionRules(root.path("permission"), origins, "");
        Map<String, List<Config.PermissionRuleConfig>> agentRules = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> agent : root.path("agent").properties()) {
            if (agent.getValue().has("permission")) agentRules.put(agent.getKey(), permissionRules(agent.getValue().path("permission"), origins, agent.getKey()));
        }
        List<String> fallback = new ArrayList<>();
        root.path("fallback").forEach(n -> fallback.add(n.asString()));
        List<Config.Instruction> instructions = new ArrayList<>();
        root.path("instructions").forEach(n -> instructions.add(new Config.Instruction(n.asString(), instructionsFrom)));
        JsonNode retry = root.path("retry");
        Map<String, Integer> steps = new LinkedHashMap<>();
        Map<String, Config.AgentConfig> agents = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> agent : root.path("agent").properties()) {
            JsonNode n = agent.getValue().get("steps");
            if (n != null && n.isIntegralNumber()) steps.put(agent.getKey(), n.asInt());
            agents.put(agent.getKey(), agent(agent.getKey(), agent.getValue(), origins));
        }
        return new Config(
                text(root, "model"),
                text(root, "smallModel"),
                fallback,
                providers,
                rules,
                instructions,
                new Config.RetryConfig(retry.path("maxAttempts").asInt(6), retry.path("maxTotalWaitSeconds").asInt(120),
                        retry.path("streamIdleTimeoutSeconds").asInt(90)),
                limits(root.path("limits")),
                root.path("server").has("port") ? Optional.of(root.path("server").path("port").asInt()) : Optional.empty(),
                root.path("server").path("idleTimeoutMinutes").asInt(30),
                serverLimits(root.path("server")),
                steps,
                sources,
                agentRules,
                managed,
                agents,
                network(root) == Config.NetworkMode.LOCAL ? withoutNetwork(withFolders(sandbox(root.path("sandbox")), root))
                        : withFolders(sandbox(root.path("sandbox")), root),
                List.copyOf(withheld),
                McpBinding.servers(root.path("mcp")),
                List.copyOf(hooks),
                plugins(root.path("plugins")),
                LspBinding.settings(root.path("lsp")),
                network(root),
                java.util.Set.of(),
                text(root, "store"),
                commands(root.path("command")),
                NotifyConfig.of(root.path("notify")),
                new Config.AgentLimits(root.path("agents").path("maxBackground").asInt(Config.DEFAULT_MAX_BACKGROUND),
                        Math.max(0, root.path("agents").path("maxTeamMembers").asInt(0))),
                PermissionPolicy.of(text(root.path("permission"), PermissionPolicy.ON_DENY),
                        text(root.path("permission"), PermissionPolicy.UNATTENDED)).withAuto(auto(root)),
                PermissionModes.PLAN.equals(root.path(PermissionModes.MODE).asString("")) ? Optional.of(PermissionModes.PLAN) : Optional.empty(),
                Optional.empty(), ManagedPolicy.NONE, WebSearchConfig.of(root.path("websearch")),
                root.path("cache").path("strategy").asString("auto"),
                TelemetryConfig.of(root.path("telemetry")),
                processes(root.path("processes")),
                Math.max(0, root.path("drain").path("seconds").asInt(Config.DEFAULT_DRAIN_SECONDS)));
    }

    private static Config.ProcessLimits processes(JsonNode p) {
        Config.ProcessLimits d = Config.ProcessLimits.DEFAULT;
        return new Config.ProcessLimits(p.path("withClientMinutes").asInt(d.withClientMinutes()), p.path("unattendedMinutes").asInt(d.unattendedMinutes()),
                p.path("maxMinutes").asInt(d.maxMinutes()), p.path("monitorLines").asInt(d.monitorLines()), p.path("monitorBytes").asInt(d.monitorBytes()));
    }

    /**
     * {@code permission.auto} (DESIGN §31), as the user's, managed and command-line layers left it (the loader dropped a
     * project's, and a project's {@code "defaultMode": "auto"}): on from the start when {@code defaultMode} is {@code auto}.
     */
    private static Optional<AutoApproval> auto(JsonNode root) {
        JsonNode auto = root.path("permission").path(AutoApproval.KEY);
        if (!auto.path("model").isString()) return Optional.empty();
        var start = PermissionModes.AUTO.equals(root.path(PermissionModes.MODE).asString("")) ? AutoApproval.Start.ALWAYS
                : AutoApproval.Start.WHEN_ASKED;
        return Optional.of(new AutoApproval(auto.path("model").asString(), text(auto, "policy"), start,
                java.time.Duration.ofSeconds(Math.max(1, auto.path("timeoutSeconds").asInt((int) AutoApproval.TIMEOUT.toSeconds())))));
    }

    /** The sandbox with the layers' {@code additionalDirectories} (absolute, {@link PermissionModes}) writable too. */
    private static SandboxConfig withFolders(SandboxConfig sandbox, JsonNode root) {
        if (!root.path(PermissionModes.DIRECTORIES).isArray() || root.path(PermissionModes.DIRECTORIES).isEmpty()) return sandbox;
        List<String> writable = new ArrayList<>(sandbox.writable());
        root.path(PermissionModes.DIRECTORIES).forEach(n -> writable.add(n.asString()));
        return new SandboxConfig(sandbox.mode(), sandbox.network(), writable, sandbox.maxProcesses());
    }

    /** {@code command}: name → {template, description?, agent?, model?}; {@code source} was set by the loader per layer. */
    private static Map<String, Config.CommandConfig> commands(JsonNode node) {
        Map<String, Config.CommandConfig> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode c = e.getValue();
            if (!c.path("template").isString()) continue;
            out.put(e.getKey(), new Config.CommandConfig(c.path("template").asString(), text(c, "description"), text(c, "agent"), text(c, "model"),
                    c.path("source").asString("")));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** A model of the {@code acp} provider with its {@code command} (validated non-empty) and {@code env}. */
    private static Optional<Config.AgentCommand> agentCommand(String provider, JsonNode model) {
        if (!provider.equals(Config.AgentCommand.PROVIDER) || !model.path("command").isArray()) return Optional.empty();
        List<String> command = new ArrayList<>();
        model.path("command").forEach(n -> command.add(n.asString()));
        return Optional.of(new Config.AgentCommand(command, ConfigLoader.strings(model.get("env")), text(model, "mode").filter(m -> !m.isBlank())));
    }

    /** The {@code plugins} folders, already absolute ({@code ConfigLoader} resolved each layer's). */
    private static List<java.nio.file.Path> plugins(JsonNode v) {
        List<java.nio.file.Path> out = new ArrayList<>();
        v.forEach(p -> out.add(java.nio.file.Path.of(p.asString())));
        return List.copyOf(out);
    }

    /** {@code limits}: the answer's size and the spend caps (validated: {@code usd} a positive number, {@code tokens} a positive whole one). */
    private static Config.LimitsConfig limits(JsonNode limits) {
        return new Config.LimitsConfig(limits.path("maxAnswerBytes").asLong(Config.LimitsConfig.DEFAULT_MAX_ANSWER_BYTES),
                spendCap(limits.path("session")), spendCap(limits.path("day")), spendCap(limits.path("project")));
    }

    private static Config.SpendCap spendCap(JsonNode cap) {
        // dollars to micro-dollars, the unit costs are stored in (DESIGN §4)
        long micro = cap.has("usd") ? Math.round(cap.path("usd").asDouble() * 1_000_000) : 0;
        return new Config.SpendCap(micro, cap.path("tokens").asLong(0));
    }

    /** The {@code server.*} limits, each the default when absent (validated positive). */
    private static Config.ServerLimits serverLimits(JsonNode server) {
        var d = Config.ServerLimits.DEFAULT;
        return new Config.ServerLimits(
                server.path("maxHeaderBytes").asInt(d.maxHeaderBytes()),
                server.path("headerReadTimeoutSeconds").asInt(d.headerReadTimeoutSeconds()),
                server.path("bodyReadTimeoutSeconds").asInt(d.bodyReadTimeoutSeconds()),
                server.path("maxBodyBytes").asLong(d.maxBodyBytes()),
                server.path("maxEventStreams").asInt(d.maxEventStreams()),
                server.path("maxEventStreamsPerToken").asInt(d.maxEventStreamsPerToken()),
                server.path("eventBufferBytes").asInt(d.eventBufferBytes()));
    }

    /** The validated {@code network} value ({@code ConfigLoader} already made it local when any layer said so). */
    static Config.NetworkMode network(JsonNode root) {
        return "local".equals(root.path("network").asString("open")) ? Config.NetworkMode.LOCAL : Config.NetworkMode.OPEN;
    }

    /** Local-only mode: sandboxed commands get no network, whatever {@code sandbox.network} says (decision 120). */
    private static SandboxConfig withoutNetwork(SandboxConfig sandbox) {
        return new SandboxConfig(sandbox.mode(), new SandboxConfig.Network.Off(), sandbox.writable(), sandbox.maxProcesses());
    }

    /** A validated {@code sandbox} value; absent is {@link SandboxConfig#DEFAULT}. */
    private static SandboxConfig sandbox(JsonNode v) {
        if (v.isString()) return new SandboxConfig(mode(v.asString()), new SandboxConfig.Network.Off(), List.of());
        if (!v.isObject()) return SandboxConfig.DEFAULT;
        JsonNode n = v.path("network");
        SandboxConfig.Network network;
        if (n.isArray()) {
            List<String> hosts = new ArrayList<>();
            n.forEach(h -> hosts.add(h.asString()));
            network = new SandboxConfig.Network.Hosts(hosts);
        } else {
            network = "on".equals(n.asString("off")) ? new SandboxConfig.Network.On() : new SandboxConfig.Network.Off();
        }
        List<String> writable = new ArrayList<>();
        v.path("writable").forEach(w -> writable.add(w.asString()));
        return new SandboxConfig(mode(v.path("mode").asString("auto")), network, writable,
                v.path("maxProcesses").asInt(ProcessLauncher.DEFAULT_PROCESS_LIMIT));
    }

    private static SandboxConfig.Mode mode(String value) {
        return SandboxConfig.Mode.valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }

    private static Config.AgentConfig agent(String name, JsonNode a, PermissionOrigins origins) {
        JsonNode temperature = a.get("temperature");
        JsonNode steps = a.get("steps");
        Optional<List<String>> tools = Optional.empty();
        JsonNode t = a.get("tools");
        if (t != null && t.isArray()) {
            List<String> names = new ArrayList<>();
            t.forEach(n -> names.add(n.asString()));
            tools = Optional.of(List.copyOf(names));
        } else if (t != null && t.isObject()) {
            Map<String, Boolean> enabled = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : t.properties()) enabled.put(e.getKey(), e.getValue().asBoolean());
            tools = Optional.of(Config.AgentConfig.toolFilter(enabled));
        }
        return new Config.AgentConfig(name, text(a, "description"), text(a, "mode"), text(a, "model").filter(m -> !m.isBlank()),
                temperature != null && temperature.isNumber() ? Optional.of(temperature.asDouble()) : Optional.empty(),
                steps != null && steps.isIntegralNumber() ? Optional.of(steps.asInt()) : Optional.empty(),
                text(a, "prompt"), a.has("permission") ? permissionRules(a.path("permission"), origins, name) : List.of(), tools,
                a.get("background") instanceof JsonNode b && b.isBoolean() ? Optional.of(b.asBoolean()) : Optional.empty());
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isString() ? Optional.empty() : Optional.of(v.asString());
    }

    private static Config.OAuthOverrides oauth(JsonNode o) {
        return new Config.OAuthOverrides(text(o, "issuer"), text(o, "api"), text(o, "clientId"),
                o.path("redirectPort").isIntegralNumber() ? java.util.OptionalInt.of(o.path("redirectPort").asInt()) : java.util.OptionalInt.empty());
    }
}
