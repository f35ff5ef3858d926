package dev.lathe.core.config;

import dev.lathe.core.trust.AgentRulePins;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.lathe.core.hooks.Hook;
import dev.lathe.core.hooks.HookSource;
import dev.lathe.core.trust.FolderTrust;
import dev.lathe.core.commandfile.CommandShell;
import dev.lathe.core.permission.PermissionPolicy;
import dev.lathe.core.trust.ExtensionPins;
import dev.lathe.core.trust.TrustGate;
import dev.lathe.core.trust.TrustItem;
import dev.lathe.core.trust.TrustedFolders;
import dev.lathe.core.trust.Withheld;
import dev.lathe.tools.FileGateway;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and merges every configuration layer for one project folder, in this order: built-in defaults, global
 * ({@code $XDG_CONFIG_HOME/lathe/lathe.json}), project ({@code lathe.json} at the project root, then
 * {@code .lathe/lathe.json}), the file named by {@code LATHE_CONFIG}, inline JSON in {@code LATHE_CONFIG_CONTENT},
 * and managed policy ({@code /etc/lathe/managed.json}) last. Each layer is validated on its own so an error names
 * its file and line. The project's layers apply in full only in a trusted folder (DESIGN §18 "Trust"): the user's
 * own layers (global, {@code LATHE_CONFIG}, {@code LATHE_CONFIG_CONTENT}, managed) always do.
 */
public final class ConfigLoader {
    /** The project's own layers, relative to its root, in order. */
    static final List<String> PROJECT_FILES = List.of("lathe.json", ".lathe/lathe.json");

    static final Pattern SUBSTITUTION = Pattern.compile("\\{(env|file):([^}]+)}");
    /** {@code mcp.NAME.command}: the array whose items are expanded like string values. */
    private static final Pattern MCP_COMMAND = Pattern.compile("mcp\\.[^.]+\\.command");
    /** {@code provider.NAME.oauth.issuer|api}: URLs the schema could not check whole when they begin with a substitution. */
    private static final Pattern OAUTH_URL = Pattern.compile("provider\\.[^.]+\\.oauth\\.(issuer|api)");

    private final LathePaths paths;
    private final Map<String, String> env;
    private final Path managed;
    private final TrustedFolders trust;

    /** With the folders the user trusted read from {@code paths}' data folder. */
    public ConfigLoader(LathePaths paths, Map<String, String> env, Path managed) {
        this(paths, env, managed, TrustedFolders.in(paths.data()));
    }

    public ConfigLoader(LathePaths paths, Map<String, String> env, Path managed, TrustedFolders trust) {
        this.paths = paths;
        this.env = env;
        this.managed = managed;
        this.trust = trust;
    }

    /** The {@code managed.json} this loader reads the managed policy from (with its drop-ins), fixed when it was made. */
    public Path managedPolicy() { return managed; }

    public static ConfigLoader standard(LathePaths paths, Map<String, String> env) {
        return new ConfigLoader(paths, env, ManagedFiles.policyFile(env));
    }

    /**
     * The configuration for {@code projectRoot}, judged trusted or not as that folder is.
     *
     * @throws ConfigException naming the file, line and key of the first problem
     */
    public Config load(Path projectRoot) {
        return load(projectRoot, trust.of(projectRoot));
    }

    /**
     * The configuration read at {@code projectRoot} for a folder of that {@code folderTrust} ({@link #trustOf} the
     * session's folder, the root or one below it): unless trusted, the project's own layers lose what runs code or
     * receives secrets ({@link UntrustedLayer}), listed in {@link Config#withheld}.
     *
     * @throws ConfigException naming the file, line and key of the first problem
     */
    public Config load(Path projectRoot, FolderTrust folderTrust) {
        return merge(projectRoot, folderTrust, gate(projectRoot, folderTrust), Map.of()).config();
    }

    /**
     * Everything the project at {@code projectRoot} defines that runs code or receives secrets, item by item, as
     * {@code lathe trust} pins it and {@code lathe trust --show} lists it (DESIGN §18 "Trust pins what it approved").
     *
     * @throws ConfigException naming the file, line and key of the first problem
     */
    public List<TrustItem> trustItems(Path projectRoot) {
        TrustGate gate = TrustGate.untrusted(projectRoot);
        merge(projectRoot, FolderTrust.UNTRUSTED, gate, Map.of());
        return gate.seen();
    }

    /** What of the project's definitions takes effect: in a trusted folder, what was pinned when it was trusted. */
    private TrustGate gate(Path projectRoot, FolderTrust folderTrust) {
        return trust.gateOf(folderTrust, projectRoot);
    }

    /**
     * This loader for a client whose environment ({@code LATHE_CONFIG}, {@code LATHE_CONFIG_CONTENT}, keys for
     * {@code {env:…}}) is {@code env} rather than this process's.
     */
    public ConfigLoader withEnvironment(Map<String, String> env) {
        return new ConfigLoader(paths, env, managed, trust);
    }

    /** The environment this loader reads {@code LATHE_CONFIG}, {@code LATHE_CONFIG_CONTENT} and {@code {env:…}} from. */
    public Map<String, String> environment() { return env; }

    /**
     * Every file {@link #load} reads (or would read, were it there) for {@code projectRoot}, in merge order: global,
     * the project's two, its {@code .mcp.json}, its root's command files that run shell, the one {@code LATHE_CONFIG} names, managed policy. A change to any of them changes the
     * configuration; {@code LATHE_CONFIG_CONTENT} is part of the environment, not a file.
     */
    public List<Path> files(Path projectRoot) {
        List<Path> out = new ArrayList<>();
        out.add(paths.globalConfig());
        for (String name : OpenCodeFile.NAMES) out.add(projectRoot.resolve(name));
        for (String name : PROJECT_FILES) out.add(projectRoot.resolve(name));
        out.add(projectRoot.resolve(McpJsonFile.NAME)); // its servers join the config: an edit is a config change
        out.add(home().resolve(HooksFile.USER_FILE)); // Claude Code's and Codex's hooks join it too
        for (String name : HooksFile.PROJECT_FILES) out.add(projectRoot.resolve(name));
        // a command whose text runs shell is pinned by trust: an edit is read again, so it is named as changed at once;
        // so are the plugin jars and script tools, the root's and those of the folders below it
        // (the walk below the root only for a trusted folder: an untrusted one runs none of them, changed or not)
        List<Path> folders = trust.of(projectRoot).trusted() ? dev.lathe.core.trust.NestedProjectFolders.withRoot(projectRoot) : List.of(projectRoot);
        for (Path folder : folders) {
            for (var command : dev.lathe.core.commandfile.CommandFiles.find(List.of(folder), paths.userCommands())) {
                if (CommandShell.runsShell(command)) out.add(command.file());
            }
        }
        for (TrustItem item : ExtensionPins.items(projectRoot, folders)) out.add(projectRoot.resolve(item.source()).resolve(item.name()));
        for (TrustItem item : AgentRulePins.items(projectRoot, folders)) out.add(projectRoot.resolve(item.source()).resolve(item.name()));
        String named = env.get("LATHE_CONFIG");
        if (named != null && !named.isBlank()) out.add(Path.of(named));
        out.addAll(ManagedFiles.watched(managed));
        return out;
    }

    /** The folders the user trusted, which this loader consults. */
    public TrustedFolders trustedFolders() { return trust; }

    /** Whether the project layers of a session in {@code directory} apply in full ({@link TrustedFolders}). */
    public FolderTrust trustOf(Path directory) {
        return trust.of(directory);
    }

    /**
     * Loads as {@link #load} does, but with {@code file} (one of the layers, e.g. the project's {@code .lathe/lathe.json})
     * holding {@code text}: checks a change before it is written.
     *
     * @throws ConfigException naming the file, line and key of the first problem
     */
    public Config loadWith(Path projectRoot, Path file, String text) {
        FolderTrust folderTrust = trust.of(projectRoot);
        return merge(projectRoot, folderTrust, gate(projectRoot, folderTrust), Map.of(file.toAbsolutePath().normalize(), text)).config();
    }

    /**
     * The merged configuration as the layers write it ({@code {env:…}} and {@code {file:…}} not expanded, so nothing is
     * read from the environment or files), as compact JSON with every secret replaced by {@code "***"}
     * ({@link ConfigMask}). Validated like {@link #load}.
     *
     * @throws ConfigException naming the file, line and key of the first problem
     */
    public String maskedJson(Path projectRoot) {
        FolderTrust folderTrust = trust.of(projectRoot);
        return ConfigMask.json(merge(projectRoot, folderTrust, gate(projectRoot, folderTrust), Map.of()).written());
    }

    /** The merged layers: bound and expanded, and as written. */
    private record Merged(Config config, ObjectNode written) {}

    private Merged merge(Path projectRoot, FolderTrust folderTrust, TrustGate gate, Map<Path, String> overrides) {
        List<LocatedJson> layers = new ArrayList<>();
        layers.add(LocatedJson.parse(DEFAULTS_SOURCE, Defaults.JSON));
        // the user's Claude Code rules below the user's own Lathe file (a rule both name: Lathe's)
        claudeUserFile(projectRoot).flatMap(user -> readFile(user, overrides).map(doc -> claudeRules(doc, home(), projectRoot, user.toString(), new ArrayList<>())))
                .ifPresent(layers::add);
        readFile(paths.globalConfig(), overrides).ifPresent(layers::add);
        List<LocatedJson> projectLayers = new ArrayList<>();
        // OpenCode's files first, then Claude Code's, so the project's lathe.json wins a key they define
        for (String name : OpenCodeFile.NAMES) readFile(projectRoot, name, overrides).map(OpenCodeFile::mapped).ifPresent(projectLayers::add);
        List<Withheld> neverApplied = new ArrayList<>();
        for (String name : ClaudePermissions.PROJECT_FILES) {
            readFile(projectRoot, name, overrides).map(doc -> claudeRules(doc, projectRoot, projectRoot, name, neverApplied)).ifPresent(projectLayers::add);
        }
        for (String name : PROJECT_FILES) readFile(projectRoot, name, overrides).ifPresent(projectLayers::add);
        layers.addAll(projectLayers);
        String named = env.get("LATHE_CONFIG");
        if (named != null && !named.isBlank()) {
            Path file = Path.of(named);
            if (!Files.exists(file)) throw new ConfigException("LATHE_CONFIG", 0, "", "file not found: " + file);
            readFile(file, overrides).ifPresent(layers::add);
        }
        String inline = env.get("LATHE_CONFIG_CONTENT");
        if (inline != null && !inline.isBlank()) layers.add(LocatedJson.parse("LATHE_CONFIG_CONTENT", inline));
        List<LocatedJson> managedFiles = new ArrayList<>();
        for (Path file : ManagedFiles.all(managed)) readFile(file, overrides).ifPresent(managedFiles::add);
        ManagedPolicy.Taken policy = ManagedPolicy.take(managedFiles);
        List<LocatedJson> managedLayers = new ArrayList<>(policy.layers());
        // an administrator's Claude Code policy binds Lathe too: its deny and ask rules, never a widening (issue 82)
        ManagedFiles.claudeCodePolicy(env).flatMap(f -> readFile(f, overrides)).map(doc -> ClaudePermissions.restrictive(claudeRules(doc, home(),
                projectRoot, doc.source(), new ArrayList<>()))).ifPresent(managedLayers::add);
        layers.addAll(managedLayers);

        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        ObjectNode written = JsonNodeFactory.instance.objectNode();
        List<String> sources = new ArrayList<>();
        ObjectNode managedRoot = JsonNodeFactory.instance.objectNode();
        List<Withheld> withheld = new ArrayList<>(neverApplied);
        java.util.Set<String> workingFolders = new java.util.LinkedHashSet<>();
        PermissionOrigins origins = new PermissionOrigins();
        Config.RuleSource instructionsFrom = Config.RuleSource.UNKNOWN; // a list: the last layer naming it writes every entry
        List<Hook> hooks = new ArrayList<>();
        boolean local = false;
        Optional<StatusLineCommand> statusLine = Optional.empty();
        for (LocatedJson layer : layers) {
            ConfigSchema.validate(layer);
            ObjectNode normalised = normalisePermission(layer.root().deepCopy());
            String shown = projectLayers.contains(layer) ? projectRoot.toAbsolutePath().relativize(Path.of(layer.source()).toAbsolutePath()).toString() : "";
            if (projectLayers.contains(layer)) {
                // as the file writes it (lathe config shows what a project asks for, masked), before trust holds parts back
                mergeInto(written, normalised);
                // the user's global file read again as a project's (a project at the config folder, as lathe serve reads it) is the user's own
                if (!Path.of(layer.source()).toAbsolutePath().equals(paths.globalConfig().toAbsolutePath())) ConfigKeys.dropUserOnly(normalised, shown, paths.globalConfig());
                // by the class of each key (DESIGN §30), before its rules are noted and folders applied (a lower layer's
                // rule keeps holding); trusted too: what was added or changed since trust waits for approval
                withheld.addAll(UntrustedLayer.strip(normalised, shown, gate, new ReachGate.Place(projectRoot, home())));
                if (!folderTrust.trusted()) UntrustedLayer.limitsTightenOnly(normalised, merged);
            } else {
                mergeInto(written, normalised);
            }
            workingFolders.addAll(PermissionModes.apply(normalised, projectRoot, home()));
            origins.layer(sourceOf(layer, projectRoot, managedLayers), normalised);
            if (normalised.has("instructions")) instructionsFrom = sourceOf(layer, projectRoot, managedLayers);
            resolvePlugins(normalised, sourceDir(layer.source()));
            substitute(layer, normalised, "", sourceDir(layer.source()), projectLayers.contains(layer) ? Optional.of(projectRoot) : Optional.empty());
            // hooks add up over the layers, each remembering its file, rather than the last layer's list replacing the others'
            hooks.addAll(HooksFile.read(new LocatedJson(layer.source(), normalised, layer.lines()), "hooks", shownHookSource(layer, projectRoot),
                    HookSource.Dialect.LATHE, projectLayers.contains(layer) ? pins(projectRoot, shown) : HooksFile.Pins.NONE));
            normalised.remove("hooks");
            var line = StatusLineCommand.take(normalised, layer.source(), projectLayers.contains(layer) ? Optional.of(shown) : Optional.empty(), projectRoot);
            if (line.isPresent()) statusLine = line;
            // each command remembers the file that defined it (a later layer's entry replaces the whole command)
            if (normalised.path("command") instanceof ObjectNode commands) {
                for (var c : commands.properties()) if (c.getValue() instanceof ObjectNode command) command.put("source", layer.source());
            }
            // local-only mode holds once any layer asks for it: a later layer (a cloned project's) cannot open it again
            local |= "local".equals(normalised.path("network").asString(""));
            // onDeny and unattended: the strictest any layer sets holds (DESIGN §26)
            PermissionSettings.strictest(normalised, merged, projectLayers.contains(layer) ? Optional.of(shown) : Optional.empty());
            mergeInto(merged, normalised);
            sources.add(layer.source());
            if (managedLayers.contains(layer)) mergeInto(managedRoot, normalised);
        }
        if (localFromEnvironment()) {
            local = true;
            sources.add(NETWORK_VARIABLE);
        }
        if (local) merged.put("network", "local");
        if (!workingFolders.isEmpty()) workingFolders.forEach(merged.withArray(PermissionModes.DIRECTORIES)::add);
        mcpJson(projectRoot, gate, overrides, merged, withheld);
        // Lathe's own statusLine wins over Claude Code's
        Optional<StatusLineCommand> claudeLine = otherToolsHooks(projectRoot, gate, overrides, hooks, withheld);
        if (statusLine.isEmpty()) statusLine = claudeLine;
        // the root's and those of the folders below it a session can be opened in (sub/.lathe/tools, sub/node_modules/.bin)
        List<Path> folders = gate.looksBelowRoot() ? dev.lathe.core.trust.NestedProjectFolders.withRoot(projectRoot) : List.of(projectRoot);
        java.util.Set<String> approvedFiles = projectFiles(projectRoot, folders, gate, withheld);
        // the project's own language server executables (node_modules/.bin, a path in the project): pinned by content
        approvedFiles.addAll(dev.lathe.core.lsp.LspPins.admitted(projectRoot, LspBinding.settings(merged.path("lsp")), env, folders, gate, withheld));
        // managed permissions are kept apart as well: they override every other layer, however specific its patterns
        return new Merged(ConfigBinder.bind(merged, sources, ConfigBinder.permissionRules(managedRoot.path("permission"), origins, ""), origins,
                instructionsFrom, withheld, hooks).withApprovedFiles(approvedFiles).withStatusLine(statusLine).withManaged(policy.policy()),
                written);
    }

    /**
     * Asks {@code gate} about each project file of {@code folders} (the root {@code projectRoot} and the folders below it
     * with definitions of their own) that runs code as a whole: a command whose text
     * runs shell ({@link CommandShell}), a plugin jar, a script tool ({@link ExtensionPins}); answers the hashes of those
     * it admits (which {@code CustomCommands} runs the {@code !`cmd`} of; {@code PluginTools} asks the gate itself). In a
     * trusted folder the others are named in {@code withheld} as changed since trust; an untrusted folder's are named by
     * {@code CustomCommands.withheldShell} and {@code PluginTools.withheld}, with those of the folders below the root.
     */
    private java.util.Set<String> projectFiles(Path projectRoot, List<Path> folders, TrustGate gate, List<Withheld> withheld) {
        java.util.Set<String> approved = new java.util.HashSet<>();
        Map<List<Object>, List<String>> refused = new java.util.LinkedHashMap<>();
        List<TrustItem> items = new ArrayList<>(CommandShell.items(projectRoot, paths.userCommands(), folders));
        items.addAll(ExtensionPins.items(projectRoot, folders));
        // an agent file's allow rules widen what runs without an ask: pinned as a whole file (AgentLoader checks the pin)
        items.addAll(AgentRulePins.items(projectRoot, folders));
        for (TrustItem item : items) {
            if (gate.admit(item)) approved.add(TrustGate.hashOf(projectRoot, item));
            else refused.computeIfAbsent(List.of(item.kind(), item.source()), k -> new ArrayList<>()).add(item.name());
        }
        if (gate.reason() == Withheld.Reason.CHANGED_SINCE_TRUST) {
            approved.add(AgentRulePins.PINS_CHECKED);
            refused.forEach((key, names) -> withheld.add(new Withheld((Withheld.Kind) key.get(0), (String) key.get(1), names, gate.reason())));
        }
        return approved;
    }

    /**
     * Adds the hooks of Claude Code's and Codex's files: the user's {@code ~/.claude/settings.json} always, the
     * project's {@code .claude/settings.json}, {@code .claude/settings.local.json} and {@code .codex/hooks.json} as far
     * as {@code gate} admits them (the rest are only named in {@code withheld}).
     */
    private Optional<StatusLineCommand> otherToolsHooks(Path projectRoot, TrustGate gate, Map<Path, String> overrides, List<Hook> hooks,
            List<Withheld> withheld) {
        Path user = home().resolve(HooksFile.USER_FILE);
        Optional<StatusLineCommand> statusLine = Optional.empty();
        if (!user.toAbsolutePath().normalize().equals(projectRoot.resolve(HooksFile.USER_FILE).toAbsolutePath().normalize())) {
            Optional<LocatedJson> doc = readFile(user, overrides);
            doc.ifPresent(d -> hooks.addAll(HooksFile.read(d, "hooks", user.toString(), HookSource.Dialect.CLAUDE_CODE)));
            if (doc.isPresent()) statusLine = StatusLineCommand.claude(doc.get(), user.toString(), Optional.empty(), gate, withheld);
        }
        for (String name : HooksFile.PROJECT_FILES) {
            Optional<LocatedJson> doc = readFile(projectRoot, name, overrides);
            if (doc.isEmpty()) continue;
            // the project's own status line over the user's, settings.local.json's over settings.json's
            var line = StatusLineCommand.claude(doc.get(), name, Optional.of(projectRoot), gate, withheld);
            if (line.isPresent()) statusLine = line;
            ObjectNode root = doc.get().root().deepCopy();
            List<String> refused = new ArrayList<>();
            HooksFile.admitted(root, "hooks", (hook, group) -> {
                boolean admitted = gate.admit(new TrustItem(Withheld.Kind.HOOKS, name, hook, group.toString()));
                if (!admitted) refused.add(hook);
                return admitted;
            });
            if (!refused.isEmpty()) withheld.add(new Withheld(Withheld.Kind.HOOKS, name, refused, gate.reason()));
            // an untrusted folder's file is only named, not checked: nothing of it runs
            if (gate.reason() == Withheld.Reason.UNTRUSTED) continue;
            hooks.addAll(HooksFile.read(new LocatedJson(doc.get().source(), root, doc.get().lines()), "hooks", name, HookSource.Dialect.CLAUDE_CODE,
                    pins(projectRoot, name)));
        }
        return statusLine;
    }

    /** The user's Claude Code settings file, unless it is the project's own (a project at the home folder). */
    private Optional<Path> claudeUserFile(Path projectRoot) {
        Path user = home().resolve(ClaudePermissions.USER_FILE);
        boolean projects = ClaudePermissions.PROJECT_FILES.stream()
                .anyMatch(f -> projectRoot.resolve(f).toAbsolutePath().normalize().equals(user.toAbsolutePath().normalize()));
        return projects ? Optional.empty() : Optional.of(user);
    }

    /**
     * A Claude Code settings file's {@code permissions} as a layer ({@link ClaudePermissions}); each rule Lathe cannot
     * apply is said once in the log, and by {@code lathe doctor} ({@link #unmappedRules}).
     */
    private LocatedJson claudeRules(LocatedJson doc, Path base, Path projectRoot, String shown, List<Withheld> neverApplied) {
        ClaudePermissions.Mapped mapped = ClaudePermissions.mapped(doc, new ClaudePermissions.Place(base, projectRoot, home(), shown));
        for (String line : mapped.unmapped()) LOG.log(System.Logger.Level.WARNING, "not applied: " + line);
        // a project's bypassPermissions is said where skipped definitions are said (lathe run, the terminal UI), trusted or not
        if (!mapped.neverFromProject().isEmpty()) {
            neverApplied.add(new Withheld(Withheld.Kind.PERMISSION_MODES, shown, mapped.neverFromProject(), Withheld.Reason.NEVER_FROM_PROJECT));
        }
        return mapped.layer();
    }

    /**
     * For {@code lathe doctor}: one line per rule of another harness's files that Lathe does not apply, naming the file
     * and the rule ({@code .claude/settings.json: deny WebSearch: Lathe has no counterpart of WebSearch}); a file that does
     * not parse is reported by the config check.
     */
    public List<String> unmappedRules(Path projectRoot) {
        List<String> out = new ArrayList<>();
        try {
            Optional<Path> user = claudeUserFile(projectRoot);
            if (user.isPresent()) {
                readFile(user.get(), Map.of()).ifPresent(doc -> out.addAll(ClaudePermissions.mapped(doc,
                        new ClaudePermissions.Place(home(), projectRoot, home(), user.get().toString())).unmapped()));
            }
            for (String name : ClaudePermissions.PROJECT_FILES) {
                readFile(projectRoot, name, Map.of()).ifPresent(doc -> out.addAll(ClaudePermissions.mapped(doc,
                        new ClaudePermissions.Place(projectRoot, projectRoot, home(), name)).unmapped()));
            }
        } catch (ConfigException e) {
            // reported where the configuration is loaded
        }
        return out;
    }

    private static final System.Logger LOG = System.getLogger(ConfigLoader.class.getName());

    /**
     * The pins of the hooks the project file {@code source} defines: each matcher group as the trust gate admitted it,
     * with the files it runs as they are now (just admitted), checked again before every run.
     */
    private static HooksFile.Pins pins(Path projectRoot, String source) {
        return (name, group) -> dev.lathe.core.trust.RunPin.of(projectRoot, new TrustItem(Withheld.Kind.HOOKS, source, name, group.toString()));
    }

    private Path home() {
        return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")));
    }

    private static String shownHookSource(LocatedJson layer, Path projectRoot) {
        String source = layer.source();
        if (source.startsWith("<") || source.equals("LATHE_CONFIG_CONTENT")) return source;
        return HooksFile.shown(Path.of(source), projectRoot);
    }

    /**
     * Adds the project's {@code .mcp.json} servers {@code gate} admits to {@code merged.mcp}, below every Lathe layer (a
     * name {@code lathe.json} also defines keeps Lathe's entry); the others are only named in {@code withheld}.
     */
    private void mcpJson(Path projectRoot, TrustGate gate, Map<Path, String> overrides, ObjectNode merged,
            List<Withheld> withheld) {
        Optional<LocatedJson> file = readFile(projectRoot, McpJsonFile.NAME, overrides);
        if (file.isEmpty()) return;
        ObjectNode root = file.get().root().deepCopy();
        List<String> refused = new ArrayList<>();
        if (root.get("mcpServers") instanceof ObjectNode declared) {
            for (String name : List.copyOf(declared.propertyNames())) {
                if (gate.admit(new TrustItem(Withheld.Kind.MCP_SERVERS, McpJsonFile.NAME, name, declared.get(name).toString()))) continue;
                declared.remove(name);
                refused.add(name);
            }
        } else if (root.has("mcpServers") && !gate.admit(new TrustItem(Withheld.Kind.MCP_SERVERS, McpJsonFile.NAME, "mcpServers", root.get("mcpServers").toString()))) {
            root.remove("mcpServers");
            refused.add("mcpServers");
        }
        if (!refused.isEmpty()) withheld.add(new Withheld(Withheld.Kind.MCP_SERVERS, McpJsonFile.NAME, refused, gate.reason()));
        ObjectNode servers = McpJsonFile.toLathe(new LocatedJson(file.get().source(), root, file.get().lines()), env);
        ObjectNode mcp = merged.get("mcp") instanceof ObjectNode existing ? existing : merged.putObject("mcp");
        for (Map.Entry<String, JsonNode> e : servers.properties()) {
            if (!mcp.has(e.getKey())) mcp.set(e.getKey(), e.getValue());
        }
    }

    private Config.RuleSource sourceOf(LocatedJson layer, Path projectRoot, List<LocatedJson> managedLayers) {
        String name = layer.source();
        if (managedLayers.contains(layer)) return new Config.RuleSource(Config.Layer.MANAGED, name);
        if (name.equals(DEFAULTS_SOURCE)) return new Config.RuleSource(Config.Layer.DEFAULTS, "built-in defaults");
        if (name.equals(paths.globalConfig().toString())) return new Config.RuleSource(Config.Layer.GLOBAL, name);
        if (java.util.stream.Stream.of(PROJECT_FILES, OpenCodeFile.NAMES, ClaudePermissions.PROJECT_FILES).flatMap(List::stream)
                .anyMatch(f -> name.equals(projectRoot.resolve(f).toString()))) {
            return new Config.RuleSource(Config.Layer.PROJECT, name);
        }
        if (claudeUserFile(projectRoot).map(f -> f.toString().equals(name)).orElse(false)) return new Config.RuleSource(Config.Layer.GLOBAL, name);
        return new Config.RuleSource(Config.Layer.ENVIRONMENT, name); // LATHE_CONFIG's file or LATHE_CONFIG_CONTENT
    }

    private static final String DEFAULTS_SOURCE = "<built-in defaults>";

    /** The variable that turns local-only mode on for a process or a client's sessions ({@code lathe run --local-only} sets it). */
    public static final String NETWORK_VARIABLE = "LATHE_NETWORK";

    /** Whether {@link #NETWORK_VARIABLE} says {@code local}; {@code open} or unset leaves the config's word. */
    private boolean localFromEnvironment() {
        String value = env.getOrDefault(NETWORK_VARIABLE, "").strip();
        if (value.isEmpty() || value.equals("open")) return false;
        if (value.equals("local")) return true;
        throw new ConfigException(NETWORK_VARIABLE, 0, "", "expected \"local\" or \"open\", not \"" + value + "\"");
    }

    /** One of the user's own files ({@link ConfigText#own}), parsed; empty when there is none. */
    private static Optional<LocatedJson> readFile(Path file, Map<Path, String> overrides) {
        String replaced = overrides.get(file.toAbsolutePath().normalize());
        if (replaced != null) return Optional.of(LocatedJson.parse(file.toString(), replaced));
        try {
            return ConfigText.own(file).map(text -> LocatedJson.parse(file.toString(), text));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "", "cannot read: " + e.getMessage());
        }
    }

    /** The project's file {@code name} ({@link ConfigText#project}: inside the project, one name), parsed; empty when there is none. */
    private static Optional<LocatedJson> readFile(Path projectRoot, String name, Map<Path, String> overrides) {
        Path file = projectRoot.resolve(name);
        String replaced = overrides.get(file.toAbsolutePath().normalize());
        if (replaced != null) return Optional.of(LocatedJson.parse(file.toString(), replaced));
        try {
            return ConfigText.project(projectRoot, file).map(text -> LocatedJson.parse(file.toString(), text));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "", "cannot read: " + e.getMessage());
        }
    }

    private Path sourceDir(String source) {
        if (source.startsWith("<") || source.equals("LATHE_CONFIG_CONTENT")) return Path.of("").toAbsolutePath();
        Path parent = Path.of(source).toAbsolutePath().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    /**
     * A layer's {@code plugins} as absolute paths: relative ones are read from the folder of the file that names them
     * (the project root for its {@code lathe.json}), {@code ~/} from the home folder.
     */
    private void resolvePlugins(ObjectNode layer, Path dir) {
        if (!(layer.get("plugins") instanceof tools.jackson.databind.node.ArrayNode plugins)) return;
        for (int i = 0; i < plugins.size(); i++) {
            String entry = plugins.get(i).asString();
            Path path = entry.startsWith("~/") ? Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), entry.substring(2)) : dir.resolve(entry);
            plugins.set(i, path.toAbsolutePath().normalize().toString());
        }
    }

    /** {@code "permission": "ask"} and {@code "bash": "ask"} become the object form, so layers merge per pattern. */
    private static ObjectNode normalisePermission(ObjectNode root) {
        for (JsonNode agent : root.path("agent")) {
            if (agent instanceof ObjectNode a && a.has("permission")) normalisePermission(a);
        }
        JsonNode permission = root.get("permission");
        if (permission == null) return root;
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (permission.isString()) {
            out.set("*", JsonNodeFactory.instance.objectNode().put("*", permission.asString()));
        } else {
            for (Map.Entry<String, JsonNode> e : permission.properties()) {
                // onDeny and unattended are settings, not a tool's rules: kept as written
                if (PermissionPolicy.reserved(e.getKey())) {
                    out.set(e.getKey(), e.getValue());
                    continue;
                }
                out.set(e.getKey(), e.getValue().isString()
                        ? JsonNodeFactory.instance.objectNode().put("*", e.getValue().asString())
                        : e.getValue());
            }
        }
        root.set("permission", out);
        return root;
    }

    private void substitute(LocatedJson layer, JsonNode node, String path, Path dir, Optional<Path> project) {
        if (!(node instanceof ObjectNode object)) return;
        for (Map.Entry<String, JsonNode> e : new ArrayList<>(object.properties())) {
            String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (e.getValue().isString()) {
                String written = e.getValue().asString();
                String expanded = expand(layer, child, written, dir, project);
                // the schema checked such a URL around its substitutions only: whole now (not repeating the value)
                if (OAUTH_URL.matcher(child).matches() && SUBSTITUTION.matcher(written).find() && !ConfigSchema.webUrl(expanded)) {
                    throw new ConfigException(layer.source(), layer.lineOf(child), child, ConfigSchema.OAUTH_URL_PROBLEM + " once {env:…}/{file:…} are expanded");
                }
                object.put(e.getKey(), expanded);
            } else if (e.getValue() instanceof tools.jackson.databind.node.ArrayNode array && MCP_COMMAND.matcher(child).matches()) {
                // an MCP server's command line is the one array expanded: OpenCode's entries pass keys as arguments
                for (int i = 0; i < array.size(); i++) {
                    if (array.get(i).isString()) array.set(i, expand(layer, child + "[" + i + "]", array.get(i).asString(), dir, project));
                }
            } else {
                substitute(layer, e.getValue(), child, dir, project);
            }
        }
    }

    private String expand(LocatedJson layer, String key, String value, Path dir, Optional<Path> project) {
        Matcher m = SUBSTITUTION.matcher(value);
        var out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1).equals("env")) {
                replacement = env.getOrDefault(m.group(2).strip(), "");
            } else {
                String name = m.group(2).strip();
                Path file = name.startsWith("~/") ? Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), name.substring(2)) : dir.resolve(name);
                try {
                    // one no-follow handle; a project's file in it stays in it (a link out swapped in after trust: refused)
                    var files = project.filter(file.normalize()::startsWith).map(p -> FileGateway.of(p, FileGateway.ReadRules.NONE));
                    replacement = files.orElseGet(FileGateway::anywhere).readString(file, ConfigText.MAX_BYTES).strip();
                } catch (IOException e) {
                    throw new ConfigException(layer.source(), layer.lineOf(key), key, "cannot read " + file + " named in {file:…}: " + e.getMessage());
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Deep merge: objects merge key by key, everything else (arrays included) is replaced by the later layer. */
    static void mergeInto(ObjectNode target, ObjectNode layer) {
        for (Map.Entry<String, JsonNode> e : layer.properties()) {
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode existingObject && e.getValue() instanceof ObjectNode incoming) {
                mergeInto(existingObject, incoming);
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null) for (Map.Entry<String, JsonNode> e : node.properties()) out.put(e.getKey(), e.getValue().asString());
        return out;
    }
}
