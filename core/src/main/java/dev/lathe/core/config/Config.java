package dev.lathe.core.config;

import dev.lathe.tools.BackgroundCommands;
import dev.lathe.core.hooks.Hook;
import dev.lathe.core.hooks.HookHandler;
import dev.lathe.core.permission.PermissionPolicy;
import dev.lathe.core.trust.Withheld;
import dev.lathe.llm.ReasoningEffort;
import dev.lathe.lsp.LspSettings;
import dev.lathe.mcp.McpServerSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The merged configuration. {@code model}, {@code smallModel} and the {@code fallback} models (tried in order when
 * the model keeps failing) are {@code provider/model}; provider keys are
 * already resolved from {@code {env:…}} / {@code {file:…}} and never logged; {@code sandbox} is how bash's processes
 * are contained (DESIGN §10); {@code mcp} the MCP servers by name, from {@code mcp} in every layer and a trusted
 * folder's {@code .mcp.json} (DESIGN §14; an untrusted folder's are withheld); {@code plugins} the Claude Code plugin
 * folders the layers name, absolute (an untrusted folder's withheld; installed plugins are not in it); {@code withheld} is what an untrusted folder's own layers defined that was left out
 * (DESIGN §14 "Trust"); {@code hooks} every layer's {@code hooks} and those of Claude Code's and Codex's settings files
 * (the user's always, the project's in a trusted folder), in that order, each with its file; {@code lsp} the language
 * servers' settings (DESIGN §14; an untrusted folder's entries that run code are withheld); {@code network} whether Lathe
 * may connect anywhere or only to loopback and the providers the config names ({@link NetworkMode}; decision 120);
 * {@code store} the team server's {@code postgresql://} store URL, read by {@code lathe serve} from the global layers
 * (DESIGN §20; empty: SQLite); {@code notifications} ({@code notify}) where the user is told that a session asks or ended (DESIGN §18, the
 * user's own layers only); {@code permissionPolicy} what a denial does to the turn and who answers an ask nobody can
 * ({@code permission.onDeny}, {@code permission.unattended}, DESIGN §26); {@code startAgent} the agent a new session
 * starts on when its client names none ({@code "defaultMode": "plan"}: {@code plan}, DESIGN §27); {@code statusLine} the
 * command whose first line the terminal UI shows at its bottom (DESIGN §27); {@code cacheStrategy} the prompt cache's
 * lifecycle across a pause ({@code cache.strategy}: {@code auto}, the default, {@code warm}, {@code compact} or
 * {@code none}; DESIGN §28, decision 504); {@code telemetry} where OpenTelemetry goes
 * ({@link TelemetryConfig}, the user's own layers only); {@code drainSeconds} ({@code drain.seconds}, the user's own
 * layers only) how long a draining team node's running turns may go on (DESIGN §34).
 */
public record Config(
        Optional<String> model,
        Optional<String> smallModel,
        List<String> fallback,
        Map<String, ProviderConfig> providers,
        List<PermissionRuleConfig> permission,
        List<Instruction> instructions,
        RetryConfig retry,
        LimitsConfig limits,
        Optional<Integer> serverPort,
        int idleTimeoutMinutes,
        ServerLimits serverLimits,
        Map<String, Integer> agentSteps,
        List<String> sources,
        Map<String, List<PermissionRuleConfig>> agentPermission,
        List<PermissionRuleConfig> managedPermission,
        Map<String, AgentConfig> agents,
        SandboxConfig sandbox,
        List<Withheld> withheld,
        Map<String, McpServerSpec> mcp,
        List<Hook> hooks,
        List<java.nio.file.Path> plugins,
        LspSettings lsp,
        NetworkMode network,
        java.util.Set<String> approvedFiles,
        Optional<String> store,
        Map<String, CommandConfig> commands,
        NotifyConfig notifications,
        AgentLimits agentLimits,
        PermissionPolicy permissionPolicy,
        Optional<String> startAgent,
        Optional<StatusLineCommand> statusLine,
        ManagedPolicy managed,
        Optional<WebSearchConfig> websearch,
        String cacheStrategy,
        TelemetryConfig telemetry,
        ProcessLimits processes,
        int drainSeconds) {

    /**
     * {@code drain.seconds} when no layer sets it (DESIGN §34): how long a draining team node lets its running turns
     * finish before it stops them at a step boundary and releases their sessions.
     */
    public static final int DEFAULT_DRAIN_SECONDS = 60;

    /**
     * {@code agents}: how many background subagents ({@code task} with {@code background: true}, DESIGN §18) one session
     * may run at once ({@code maxBackground}, default {@link #DEFAULT_MAX_BACKGROUND}), and how many members an agent
     * team may have ({@code maxTeamMembers}; 0, the default, leaves {@code team_create} unoffered: DESIGN §18 "Agent teams").
     */
    public record AgentLimits(int maxBackground, int maxTeamMembers) {}

    /**
     * {@code processes} (DESIGN §32, the user's own files only): how long a background command may run while a client
     * follows its session ({@code withClientMinutes}, default 30), while none does ({@code unattendedMinutes}, 10), at
     * most ({@code maxMinutes}, 120, which also bounds the model's {@code timeoutSeconds}), and how many lines and bytes
     * of its monitored output one delivery to the model carries ({@code monitorLines} 40, {@code monitorBytes} 4096).
     */
    public record ProcessLimits(int withClientMinutes, int unattendedMinutes, int maxMinutes, int monitorLines, int monitorBytes) {
        public static final ProcessLimits DEFAULT = new ProcessLimits(30, 10, 120, 40, 4096);

        /** These limits as the background commands take them. */
        public BackgroundCommands.Limits limits() {
            return new BackgroundCommands.Limits(java.time.Duration.ofMinutes(withClientMinutes), java.time.Duration.ofMinutes(unattendedMinutes),
                    java.time.Duration.ofMinutes(maxMinutes), monitorLines, monitorBytes);
        }
    }

    /** {@code agents.maxBackground} when no layer sets it (DESIGN §22). */
    public static final int DEFAULT_MAX_BACKGROUND = 4;

    /**
     * This configuration with {@code servers} (Claude Code plugins' MCP servers) added below every configured server: a
     * name already configured keeps its entry.
     */
    /** This configuration with {@code more} (Claude Code plugins' hooks) after every configured hook. */
    public Config withHooksAfter(List<Hook> more) {
        if (more.isEmpty()) return this;
        List<Hook> all = new java.util.ArrayList<>(hooks);
        all.addAll(more);
        return new Config(model, smallModel, fallback, providers, permission, instructions, retry, limits, serverPort, idleTimeoutMinutes,
                serverLimits, agentSteps, sources, agentPermission, managedPermission, agents, sandbox, withheld, mcp, List.copyOf(all), plugins, lsp, network, approvedFiles, store, commands, notifications, agentLimits, permissionPolicy, startAgent, statusLine, managed, websearch, cacheStrategy, telemetry, processes, drainSeconds).withManaged(managed);
    }

    /** This configuration with only the hooks {@code keep} accepts (local-only mode drops HTTP hooks it cannot reach). */
    public Config withHooksWhere(java.util.function.Predicate<Hook> keep) {
        List<Hook> kept = hooks.stream().filter(keep).toList();
        if (kept.size() == hooks.size()) return this;
        return new Config(model, smallModel, fallback, providers, permission, instructions, retry, limits, serverPort, idleTimeoutMinutes,
                serverLimits, agentSteps, sources, agentPermission, managedPermission, agents, sandbox, withheld, mcp, kept, plugins, lsp, network, approvedFiles, store, commands, notifications, agentLimits, permissionPolicy, startAgent, statusLine, managed, websearch, cacheStrategy, telemetry, processes, drainSeconds);
    }

    public Config withMcpBelow(Map<String, McpServerSpec> servers) {
        if (servers.isEmpty()) return this;
        Map<String, McpServerSpec> all = new java.util.LinkedHashMap<>(mcp);
        servers.forEach(all::putIfAbsent);
        return new Config(model, smallModel, fallback, providers, permission, instructions, retry, limits, serverPort, idleTimeoutMinutes,
                serverLimits, agentSteps, sources, agentPermission, managedPermission, agents, sandbox, withheld,
                java.util.Collections.unmodifiableMap(all), hooks, plugins, lsp, network, approvedFiles, store, commands, notifications, agentLimits, permissionPolicy, startAgent, statusLine, managed, websearch, cacheStrategy, telemetry, processes, drainSeconds).withManaged(managed);
    }

    /**
     * This configuration with {@code approved}: the {@link dev.lathe.core.trust.TrustGate#hashOf hashes} of the project
     * files its trust gate admitted (commands whose text runs {@code !`cmd`}; plugin jars and script tools are checked
     * by their loader through the gate itself), so a command file changed since trust runs no shell command (DESIGN §18 "Trust pins what it approved"; {@code CustomCommands}).
     */
    public Config withApprovedFiles(java.util.Set<String> approved) {
        return new Config(model, smallModel, fallback, providers, permission, instructions, retry, limits, serverPort, idleTimeoutMinutes,
                serverLimits, agentSteps, sources, agentPermission, managedPermission, agents, sandbox, withheld, mcp, hooks, plugins, lsp, network,
                java.util.Set.copyOf(approved), store, commands, notifications, agentLimits, permissionPolicy, startAgent, statusLine, managed, websearch, cacheStrategy, telemetry, processes, drainSeconds);
    }

    /** This configuration with {@code line} as its status line ({@code statusLine}, DESIGN §27). */
    public Config withStatusLine(Optional<StatusLineCommand> line) {
        return new Config(model, smallModel, fallback, providers, permission, instructions, retry, limits, serverPort, idleTimeoutMinutes,
                serverLimits, agentSteps, sources, agentPermission, managedPermission, agents, sandbox, withheld, mcp, hooks, plugins, lsp, network,
                approvedFiles, store, commands, notifications, agentLimits, permissionPolicy, startAgent, line, managed, websearch, cacheStrategy, telemetry, processes, drainSeconds);
    }

    /**
     * This configuration under {@code policy}, the administrator's managed settings (DESIGN §29): a hook or local MCP
     * server whose command {@code allowedCommands} does not admit is dropped, said once in the log naming the setting;
     * under {@code disableAutoApproval} the classifier ({@code permission.auto}) is dropped.
     */
    public Config withManaged(ManagedPolicy policy) {
        List<Hook> keptHooks = hooks.stream().filter(h -> !(h.handler() instanceof HookHandler.Command c)
                || policy.refusalOfCommand("hook " + h.event(), String.join(" ", java.util.stream.Stream.concat(java.util.stream.Stream.of(c.command()), c.args().stream()).toList())).map(ManagedPolicy::logged).isEmpty()).toList();
        Map<String, McpServerSpec> keptMcp = new java.util.LinkedHashMap<>();
        mcp.forEach((name, spec) -> {
            if (!(spec instanceof McpServerSpec.Local local)
                    || policy.refusalOfCommand("MCP server " + name, String.join(" ", local.command())).map(ManagedPolicy::logged).isEmpty()) keptMcp.put(name, spec);
        });
        return new Config(model, smallModel, fallback, providers, permission, instructions, retry, limits, serverPort, idleTimeoutMinutes,
                serverLimits, agentSteps, sources, agentPermission, managedPermission, agents, sandbox, withheld,
                java.util.Collections.unmodifiableMap(keptMcp), List.copyOf(keptHooks), plugins, lsp, network,
                approvedFiles, store, commands, notifications, agentLimits,
                // disableAutoApproval: no layer's classifier answers an ask, whatever --auto, the mode or defaultMode say
                policy.refusalOfAuto().isPresent() ? permissionPolicy.withAuto(Optional.empty()) : permissionPolicy,
                startAgent, statusLine, policy, websearch, cacheStrategy, telemetry, processes, drainSeconds);
    }

    /** What an untrusted folder's own layers defined that does not apply (empty in a trusted folder). */
    public List<Withheld> withheldOf(Withheld.Kind kind) {
        return withheld.stream().filter(w -> w.kind() == kind).toList();
    }

    /**
     * One {@code agent.<name>} object: every field may be absent (it then keeps the built-in's or agent file's value).
     * {@code tools} is already in the filter form of {@code Agent.tools}: a config array is kept as it is, an object of
     * {@code name → true|false} becomes {@code ["*", "!name", ...]} (every tool but those set to false) or, when it sets
     * {@code "*": false}, only the names set to true. {@code background} is the agent's launch when a {@code task} call
     * leaves it out, as an agent file's {@code background: true} (DESIGN §18 "Background subagents").
     */
    public record AgentConfig(String name, Optional<String> description, Optional<String> mode, Optional<String> model,
            Optional<Double> temperature, Optional<Integer> steps, Optional<String> prompt, List<PermissionRuleConfig> permission,
            Optional<List<String>> tools, Optional<Boolean> background) {

        /** An agent object that says nothing of the background. */
        public AgentConfig(String name, Optional<String> description, Optional<String> mode, Optional<String> model,
                Optional<Double> temperature, Optional<Integer> steps, Optional<String> prompt, List<PermissionRuleConfig> permission,
                Optional<List<String>> tools) {
            this(name, description, mode, model, temperature, steps, prompt, permission, tools, Optional.empty());
        }

        /**
         * An OpenCode-style {@code name → enabled} map as a tool filter: the least specific names first (so {@code "*"}
         * comes before {@code "read"}), each as {@code name} or {@code !name}, after a leading {@code "*"} unless the map
         * sets {@code "*"} itself (tools a map does not name stay enabled, as in OpenCode).
         */
        public static List<String> toolFilter(Map<String, Boolean> enabled) {
            List<String> out = new java.util.ArrayList<>();
            if (!enabled.containsKey("*")) out.add("*");
            enabled.entrySet().stream()
                    .sorted(java.util.Comparator.comparingInt(e -> e.getKey().replace("*", "").replace("?", "").length()))
                    .forEach(e -> out.add(e.getValue() ? e.getKey() : "!" + e.getKey()));
            return List.copyOf(out);
        }
    }

    /** One provider from config: any field may be absent (a later issue fills gaps from the models.dev catalog). */
    public record ProviderConfig(String id, Optional<String> protocol, Optional<String> baseUrl, Optional<String> apiKey,
            Map<String, String> headers, Map<String, ModelConfig> models, OAuthOverrides oauth) {
        public ProviderConfig(String id, Optional<String> protocol, Optional<String> baseUrl, Optional<String> apiKey,
                Map<String, String> headers, Map<String, ModelConfig> models) {
            this(id, protocol, baseUrl, apiKey, headers, models, OAuthOverrides.NONE);
        }

        @Override public String toString() {
            return "ProviderConfig[id=" + id + ", protocol=" + protocol + ", baseUrl=" + baseUrl + ", apiKey="
                    + (apiKey.isPresent() ? "<set>" : "<none>") + ", models=" + models.keySet() + "]";
        }
    }

    /**
     * {@code provider.NAME.oauth} for a subscription's sign-in ({@code openai}, {@code github-copilot}): where its
     * authorization server ({@code issuer}) and token API ({@code api}: GitHub's, for Copilot tokens) are, the OAuth
     * client id, and the loopback port of the browser sign-in's redirect. Each empty: the plan's own. Tests point them
     * at servers on loopback; the backend itself is the provider's {@code baseUrl}.
     */
    public record OAuthOverrides(Optional<String> issuer, Optional<String> api, Optional<String> clientId, java.util.OptionalInt redirectPort) {
        public static final OAuthOverrides NONE = new OAuthOverrides(Optional.empty(), Optional.empty(), Optional.empty(), java.util.OptionalInt.empty());
    }

    /**
     * {@code context} and {@code output} are 0 when not configured: the catalog's limits apply. {@code agent}: present
     * for a model of the {@code acp} provider ({@code provider.acp.models.NAME}), an ACP agent run as a session's engine.
     */
    public record ModelConfig(String id, int context, int output, java.util.Optional<ReasoningEffort> reasoningEffort,
            java.util.Optional<AgentCommand> agent) {
        public ModelConfig(String id, int context, int output, java.util.Optional<ReasoningEffort> reasoningEffort) {
            this(id, context, output, reasoningEffort, java.util.Optional.empty());
        }
    }

    /**
     * How to start an ACP agent ({@code provider.acp.models.NAME}): the executable and its arguments, and variables set
     * for it beside the daemon's environment (provider keys Lathe holds are not among them unless written here);
     * {@code mode}: the agent's session mode Lathe selects in each new agent session ({@code session/set_mode}), e.g.
     * Claude Code's {@code default}, in which it asks permission (so Lathe's rules decide) rather than its {@code auto}.
     */
    public record AgentCommand(List<String> command, Map<String, String> env, Optional<String> mode) {
        public AgentCommand {
            command = List.copyOf(command);
            env = Map.copyOf(env);
        }

        public AgentCommand(List<String> command, Map<String, String> env) { this(command, env, Optional.empty()); }

        /** The provider whose models are ACP agents: {@code acp/NAME} (DESIGN §14). */
        public static final String PROVIDER = "acp";
    }

    /**
     * {@code permission.<permission>.<pattern> = action}; {@code "*"} as permission is the fallback for every tool;
     * {@code origin}: the layer that wrote it last.
     */
    public record PermissionRuleConfig(String permission, String pattern, String action, RuleSource origin) {}

    /**
     * One {@code instructions} entry and the layer that wrote it ({@code instructions} is a list, so the last layer that
     * names it writes every entry). A project's entry is the project reaching for files, so one that leads outside the
     * project passes the check a memory import does; the user's own entries are the user's choice (decision 641).
     */
    public record Instruction(String entry, RuleSource from) {
        /** Whether a project's own file ({@code lathe.json}, {@code .lathe/lathe.json}, {@code opencode.json}) wrote it. */
        public boolean fromProject() {
            return from.layer() == Layer.PROJECT;
        }
    }

    /** The config layers, lowest first; the managed policy overrides every other. */
    public enum Layer { DEFAULTS, GLOBAL, PROJECT, ENVIRONMENT, MANAGED }

    /**
     * A layer and its name: its file, {@code LATHE_CONFIG_CONTENT}, or {@code built-in defaults}.
     * {@link #UNKNOWN} only for a rule no layer wrote (cannot happen for a loaded config).
     */
    public record RuleSource(Layer layer, String name) {
        static final RuleSource UNKNOWN = new RuleSource(Layer.DEFAULTS, "unknown");
    }

    /**
     * A command defined in config ({@code command.NAME}, OpenCode's shape, read from {@code opencode.json} and
     * {@code lathe.json} alike): the prompt {@code template} ({@code $ARGUMENTS}, {@code $1}…), the {@code description}
     * clients list, the {@code agent} and {@code model} it runs with; {@code source} is the file that defined it.
     */
    public record CommandConfig(String template, Optional<String> description, Optional<String> agent, Optional<String> model, String source) {}

    public record RetryConfig(int maxAttempts, int maxTotalWaitSeconds, int streamIdleTimeoutSeconds) {}

    /**
     * Limits ({@code limits}): {@code maxAnswerBytes} is the most text and reasoning one model response may stream (UTF-8
     * bytes) before it is stopped and the turn says why, 0 meaning no limit; {@code session}, {@code day} and
     * {@code project} cap what is spent (decision 119: a session and its subagents, every project since local midnight,
     * this project folder), each {@link SpendCap#NONE} when not configured.
     */
    public record LimitsConfig(long maxAnswerBytes, SpendCap session, SpendCap day, SpendCap project) {
        public static final long DEFAULT_MAX_ANSWER_BYTES = 4L * 1024 * 1024;

        /** Only the answer's size limited: no spend caps. */
        public LimitsConfig(long maxAnswerBytes) {
            this(maxAnswerBytes, SpendCap.NONE, SpendCap.NONE, SpendCap.NONE);
        }

        /** The limit in force: {@link Long#MAX_VALUE} when 0 turns it off. */
        public long answerLimit() { return maxAnswerBytes == 0 ? Long.MAX_VALUE : maxAnswerBytes; }

        /** Whether any spend cap is configured (otherwise a step checks nothing and reads nothing). */
        public boolean capsSpend() { return session.isSet() || day.isSet() || project.isSet(); }
    }

    /**
     * One spend cap ({@code limits.session} and the like): {@code microDollars} from {@code usd} (priced by the catalog's
     * or the provider's prices), {@code tokens} counted for every model, priced or not (uncached input, cache writes and
     * output, reasoning included); 0 where that unit is not capped.
     */
    public record SpendCap(long microDollars, long tokens) {
        public static final SpendCap NONE = new SpendCap(0, 0);

        public boolean isSet() { return microDollars > 0 || tokens > 0; }
    }

    /**
     * What the HTTP server accepts from one client (issue 25; {@code server.*} in docs/config.md): the request head's
     * size and the time to send it, the time to send a body and its size, {@code /events} connections in total and per
     * credential, and the bytes of events one connection may have waiting unread. All positive.
     */
    public record ServerLimits(int maxHeaderBytes, int headerReadTimeoutSeconds, int bodyReadTimeoutSeconds, long maxBodyBytes,
            int maxEventStreams, int maxEventStreamsPerToken, int eventBufferBytes) {
        public static final ServerLimits DEFAULT = new ServerLimits(64 * 1024, 10, 60, 10L * 1024 * 1024, 256, 128, 1024 * 1024);
    }

    /**
     * The {@code network} key (decision 120): {@code open} (the default) or {@code local}, under which Lathe connects only
     * to loopback and to providers whose {@code baseUrl} the config writes (core.network). A layer can make it local,
     * never open again: {@code local} in any layer, or {@code LATHE_NETWORK=local} in the environment, wins.
     */
    public enum NetworkMode {
        OPEN, LOCAL;

        public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    }
}
