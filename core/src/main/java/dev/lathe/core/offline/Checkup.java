package dev.lathe.core.offline;

import dev.lathe.core.claudeplugin.LockedPlugins;
import dev.lathe.core.claudeplugin.MarketplacePolicy;
import dev.lathe.core.claudeplugin.SuggestedMarketplaces;
import dev.lathe.core.auth.AuthStore;
import dev.lathe.core.command.CustomCommands;
import dev.lathe.core.commandfile.CommandFiles;
import dev.lathe.core.trust.AdmittedUrl;
import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigFiles;
import dev.lathe.core.config.ManagedFiles;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.config.ManagedPolicy;
import dev.lathe.core.config.SandboxConfig;
import dev.lathe.core.lsp.LanguageServers;
import dev.lathe.core.lsp.LspModule;
import dev.lathe.core.mcp.CodeModeTools;
import dev.lathe.core.model.CatalogSource;
import dev.lathe.core.model.CatalogUrls;
import dev.lathe.core.model.KnownProviders;
import dev.lathe.core.model.ModelException;
import dev.lathe.core.model.ModelResolver;
import dev.lathe.core.model.DefaultModel;
import dev.lathe.core.model.ProviderSources;
import dev.lathe.core.model.ResolvedModel;
import dev.lathe.core.network.BlockedConnections;
import dev.lathe.core.network.NetworkPolicy;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.permission.AutoApproval;
import dev.lathe.core.plugin.PluginTools;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.sandbox.SandboxState;
import dev.lathe.core.trust.FolderTrust;
import dev.lathe.core.trust.TrustedFolders;
import dev.lathe.core.trust.Withheld;
import dev.lathe.llm.Protocols;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.llm.catalog.Catalog;
import dev.lathe.tools.Tool;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code lathe doctor} (DESIGN §3): what this machine and a folder's configuration mean for Lathe, checked without a
 * server and without the network — Java, git, ripgrep, bubblewrap, each configuration file found and whether it
 * parses, the merged configuration, the folder's trust, the sandbox's state for the folder, the default model and the
 * providers with a key (where it is found, never the key).
 */
public final class Checkup {
    private Checkup() {}

    /** How a check came out: {@code FAIL} is something Lathe cannot work with, {@code WARN} works but worse. */
    public enum Status { OK, WARN, FAIL }

    /** One check: {@code name} (a short word), what was found, and how to fix it when not {@link Status#OK}. */
    public record Check(String name, Status status, String detail, Optional<String> fix) {
        static Check ok(String name, String detail) { return new Check(name, Status.OK, detail, Optional.empty()); }

        static Check warn(String name, String detail, String fix) { return new Check(name, Status.WARN, detail, Optional.of(fix)); }

        static Check fail(String name, String detail, String fix) { return new Check(name, Status.FAIL, detail, Optional.of(fix)); }
    }

    /** The checks for the folder {@code directory} under the configuration and folders {@code env} names, in order. */
    public static List<Check> of(Map<String, String> env, Path directory) {
        return of(env, directory, ManagedFiles.policyFile(env));
    }

    /**
     * As above, with the managed settings of {@code managed}: the running server's, which are what work through it
     * meets, whatever this process's environment names (decision 552).
     */
    public static List<Check> of(Map<String, String> env, Path directory, Path managed) {
        List<Check> out = new ArrayList<>(List.of(java(), git(), ripgrep(), bubblewrap()));
        var paths = LathePaths.fromEnvironment(env);
        Path project = ProjectRoot.normalise(directory.toAbsolutePath().toString());
        Config config;
        ConfigLoader loader = new ConfigLoader(paths, env, managed);
        FolderTrust trust = loader.trustOf(project);
        out.addAll(configFiles(ConfigFiles.of(paths, env, ProjectRoot.repoRoot(project), managed)));
        try {
            config = loader.load(ProjectRoot.repoRoot(project), trust);
        } catch (ConfigException e) {
            out.add(Check.fail("config", e.getMessage(), "correct the file named above; Lathe does not start while its configuration does not load"));
            for (String name : List.of("trust", "sandbox", "network", "model", "providers")) {
                out.add(Check.warn(name, "not checked: the configuration does not load", "correct the configuration first"));
            }
            return out;
        }
        out.add(Check.ok("config", "loads: " + String.join(", ", config.sources())));
        out.add(trust(trust, project, config, paths, env));
        out.add(MemoryCheck.of(paths, env, project, config, trust));
        out.add(MemoryCheck.skills(paths, env, project, config, trust));
        out.add(rules(config, loader.unmappedRules(ProjectRoot.repoRoot(project))));
        out.add(managed(config));
        out.add(autoApproval(config));
        out.add(sandbox(config.sandbox(), SandboxState.of(config.sandbox()), project));
        if (config.mcp().values().stream().anyMatch(s -> s.offer() == McpServerSpec.Offer.CODE_MODE)) out.add(codeMode(env));
        out.add(plugins(paths, project, trust));
        out.add(claudePlugins(paths, env, ProjectRoot.repoRoot(project)));
        out.add(lsp(config, project, trust, env, LspModule.FACTORY));
        Catalog catalog = CatalogSource.load(paths.cache().resolve("models.json"));
        var sources = new ProviderSources(() -> catalog, new AuthStore(paths.authFile()), env);
        out.add(NetworkCheck.of(config, sources, SandboxState.of(config.sandbox()), project, BlockedConnections.fileIn(paths.state())));
        out.add(model(config, sources));
        out.addAll(providers(config, sources, KeyStore.of(env)));
        return out;
    }

    /**
     * The permission rules of the configuration files (Lathe's and other harnesses': Claude Code's settings, OpenCode's
     * files), each file with its rules, so a user sees where a rule came from (DESIGN §24); and every rule of another
     * harness's file that Lathe does not apply, with its file (a warning).
     */
    static Check rules(Config config, List<String> unmapped) {
        Map<String, List<String>> byFile = new java.util.LinkedHashMap<>();
        for (Config.PermissionRuleConfig r : config.permission()) {
            if (r.origin().layer() == Config.Layer.DEFAULTS) continue;
            byFile.computeIfAbsent(r.origin().name(), k -> new ArrayList<>()).add(r.permission() + " " + r.pattern() + " " + r.action());
        }
        String found = byFile.isEmpty() ? "only the built-in defaults" : byFile.entrySet().stream()
                .map(e -> e.getKey() + ": " + String.join(", ", e.getValue())).collect(Collectors.joining("; "));
        if (unmapped.isEmpty()) return Check.ok("rules", found);
        return Check.warn("rules", found + "; not applied: " + String.join("; ", unmapped),
                "write what these rules mean in Lathe's form in lathe.json (docs/config.md, \"permission\")");
    }

    /** Each managed file and what the managed settings enforce (DESIGN §29): their permission rules and policy keys. */
    static Check managed(Config config) {
        var policy = config.managed();
        if (!policy.present() && config.managedPermission().isEmpty()) {
            return Check.ok("managed", "no managed settings (" + ManagedFiles.DIR_VARIABLE + " or the system folder; Claude Code's managed-settings.json)");
        }
        List<String> enforced = new ArrayList<>();
        // the files: Lathe's own policy's, and an administrator's Claude Code policy whose deny and ask rules bind Lathe too
        var files = new java.util.LinkedHashSet<>(policy.files());
        for (Config.PermissionRuleConfig r : config.managedPermission()) {
            enforced.add(r.permission() + " " + r.pattern() + " " + r.action());
            files.add(r.origin().name());
        }
        enforced.addAll(policy.enforced());
        enforced.addAll(admittedHosts(policy));
        return Check.ok("managed", String.join(", ", files) + ": enforces " + (enforced.isEmpty() ? "nothing" : String.join("; ", enforced)));
    }

    /**
     * Whether auto-approval's classifier may answer asks (DESIGN §31): off with no {@code permission.auto}, on with its
     * model (from the start under {@code defaultMode: auto}, else when a prompt asks), or off by the administrator's
     * {@code disableAutoApproval}, which the user cannot undo.
     */
    static Check autoApproval(Config config) {
        Optional<String> managed = config.managed().refusalOfAuto();
        if (managed.isPresent()) return Check.ok("auto-approval", managed.get() + "; permission.auto, --auto and the modes cannot turn it on");
        return config.permissionPolicy().auto().map(a -> Check.ok("auto-approval", "on with " + a.model() + " ("
                        + (a.start() == AutoApproval.Start.ALWAYS ? "every session, defaultMode: auto" : "when asked: --auto, the modes, the web toggle") + ")"))
                .orElse(Check.ok("auto-approval", "off: no classifier configured (permission.auto, docs/auto-approval.md)"));
    }

    /**
     * Where the policy lets each provider's requests go (decision 558): per provider {@code allowedProviders} names,
     * the URLs {@code allowedBaseUrls} lists or else the catalog's; nothing when the policy names no providers.
     */
    static List<String> admittedHosts(ManagedPolicy policy) {
        if (policy.allowedProviders().isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        for (String provider : policy.allowedProviders().get()) {
            if (provider.contains("*")) {
                out.add("providers matching " + provider + " reach only the URLs allowedBaseUrls lists for them, else their catalog URLs");
                continue;
            }
            boolean listed = policy.listedBaseUrls().containsKey(provider);
            var urls = listed ? policy.listedBaseUrls().get(provider) : CatalogUrls.of(provider);
            out.add("provider " + provider + " reaches " + (urls.isEmpty() ? "no host (not in the catalog: list it under allowedBaseUrls)"
                    : String.join(", ", urls.stream().map(AdmittedUrl::shown).toList()) + (listed ? "" : " (Lathe's own URLs for it)")));
        }
        return out;
    }

    /** One line per configuration file found (and {@code LATHE_CONFIG_CONTENT}): parses and valid, or the file:line: key: problem. */
    static List<Check> configFiles(List<ConfigFiles.Layer> layers) {
        String name = "config file";
        if (layers.isEmpty()) return List.of(Check.ok(name, "none found: the built-in defaults apply"));
        // a file with keys Lathe skips is not "every key valid" above a warning about them (issue 53): one line says both
        return layers.stream().map(l -> l.problem()
                .map(e -> Check.fail(name, e.getMessage(), "correct this file; Lathe does not start while it is invalid"))
                .orElseGet(() -> l.unread().isEmpty() ? Check.ok(name, l.source() + ": parses, every key valid")
                        : Check.warn(name, l.source() + ": parses; keys Lathe does not read: " + String.join(", ", l.unread()),
                                "Lathe reads mcp, instructions, agent, command, permission and tools of OpenCode's files; set the rest in lathe.json"
                                        + " (docs/config.md)"))).toList();
    }

    /** Whether the folder is trusted, and what it defines that is skipped while it is not (DESIGN §14). */
    static Check trust(FolderTrust trust, Path project, Config config, LathePaths paths, Map<String, String> env) {
        if (trust.trusted()) {
            // what was added or changed since the folder was trusted waits for approval (DESIGN §18)
            if (config.withheld().isEmpty()) return Check.ok("trust", "trusted: what " + project + " defines applies");
            return Check.warn("trust", "trusted, but " + String.join("; ", config.withheld().stream().map(Withheld::detail).toList()),
                    "review with lathe trust --show --dir " + project + ", then approve with lathe trust --dir " + project);
        }
        Path repo = ProjectRoot.repoRoot(project);
        List<Withheld> skipped = new ArrayList<>(config.withheld());
        skipped.addAll(CustomCommands.withheldShell(CommandFiles.find(ProjectRoot.upToRoot(project, repo), paths.userCommands()), repo));
        skipped.addAll(PluginTools.withheld(project));
        skipped.addAll(LspModule.withheld(project, config.lsp(), env));
        if (skipped.isEmpty()) return Check.ok("trust", "not trusted, and " + project + " defines nothing that needs it");
        return Check.warn("trust", "not trusted: " + String.join("; ", skipped.stream().map(Withheld::detail).toList()),
                "if you trust what this folder defines, run lathe trust --dir " + project);
    }

    /**
     * The script tools and plugin tools the folder's sessions are offered (the user's, and the folder's own when it is
     * trusted), and what of them could not be taken (a bad header, a plugin that fails to load). Loads the plugin jars
     * in this process, as the server does.
     */
    static Check plugins(LathePaths paths, Path project, FolderTrust trust) {
        try (var plugins = new PluginTools(paths, trust, TrustedFolders.in(paths.data()), java.util.Set.of())) {
            List<String> names = plugins.offered(project, "").stream().map(Tool::name).toList();
            List<String> problems = plugins.problems(project);
            String offered = names.isEmpty() ? "no script tools or plugin tools" : "offered: " + String.join(", ", names);
            if (problems.isEmpty()) return Check.ok("plugins", offered);
            return Check.warn("plugins", offered + "; not taken: " + String.join("; ", problems),
                    "correct the files named (docs/extending.md), or remove them");
        }
    }

    /**
     * The installed Claude Code plugins and those not started because their files are not the ones {@code
     * lathe-plugins.lock} holds (DESIGN §33), with why; and what an administrator's marketplace policy admits.
     */
    static Check claudePlugins(LathePaths paths, Map<String, String> env, Path repoRoot) {
        var checked = new LockedPlugins(paths.claudePlugins()).check();
        // a project's extraKnownMarketplaces is a suggestion only: said here, added by the user (DESIGN §33)
        List<SuggestedMarketplaces.Suggestion> suggested = SuggestedMarketplaces.of(repoRoot);
        String suggestions = suggested.isEmpty() ? "" : "; the project suggests " + String.join(", ", suggested.stream()
                .map(s -> s.name() + " (lathe plugin marketplace add " + s.source() + ")").toList());
        String policy;
        try {
            var p = MarketplacePolicy.of(env);
            policy = p.strict().isEmpty() && p.blocked().isEmpty() ? "" : "; marketplaces limited by " + p.setBy();
        } catch (ConfigException e) {
            return Check.fail("claude-plugins", "the managed marketplace policy does not read: " + e.getMessage(), "correct the file named");
        }
        int all = checked.allowed().size() + checked.refused().size();
        if (checked.refused().isEmpty()) {
            return Check.ok("claude-plugins", (all == 0 ? "none installed" : all + " installed, each as locked in lathe-plugins.lock") + policy + suggestions);
        }
        return Check.warn("claude-plugins", checked.refused().size() + " of " + all + " not started: "
                + String.join("; ", checked.refused().stream().map(r -> r.name() + " is " + r.why()).toList()) + policy + suggestions,
                "read what changed in the plugin's folder; lathe plugin update NAME takes it, lathe plugin remove NAME uninstalls it");
    }

    /**
     * Which built-in language servers were found for the folder, and where ({@code PATH} or its own
     * {@code node_modules/.bin}, which runs only once it is trusted), and which were not (DESIGN §14).
     */
    static Check lsp(Config config, Path project, FolderTrust trust, Map<String, String> env, LanguageServers.Factory servers) {
        if (!config.lsp().enabled()) return Check.ok("lsp", "off (\"lsp\": false): edits get no diagnostics");
        Path local = ProjectRoot.repoRoot(project).resolve(LspModule.PROJECT_BIN).toAbsolutePath().normalize();
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (var server : servers.survey(ProjectRoot.repoRoot(project), env)) {
            var disabled = config.lsp().servers().get(server.name());
            if (disabled != null && !disabled.enabled()) continue;
            if (server.command().isEmpty()) {
                missing.add(server.name());
                continue;
            }
            boolean inProject = Path.of(server.command().get().getFirst()).toAbsolutePath().normalize().startsWith(local);
            found.add(server.name() + (inProject ? " (node_modules/.bin" + (trust.trusted() ? ")" : ", runs once trusted)") : " (PATH)"));
        }
        String detail = (found.isEmpty() ? "no language server found" : "found: " + String.join(", ", found))
                + (missing.isEmpty() ? "" : "; not found: " + String.join(", ", missing));
        if (!found.isEmpty()) return Check.ok("lsp", detail);
        return Check.warn("lsp", detail + ": edits get no diagnostics",
                "install the server of your language (e.g. npm install -g pyright, apt-get install clangd), or set \"lsp\": false");
    }

    static Check java() {
        Runtime.Version v = Runtime.version();
        String detail = "Java " + v + " (" + System.getProperty("java.vendor", "unknown vendor") + ", " + System.getProperty("java.home") + ")";
        return v.feature() >= 25 ? Check.ok("java", detail) : Check.fail("java", detail, "install Java 25 or later");
    }

    static Check git() {
        return InstalledProgram.version("git").map(v -> Check.ok("git", v))
                .orElseGet(() -> Check.warn("git", "git is not on the PATH: no snapshots, so no /undo, and bash cannot run git", "install git"));
    }

    static Check ripgrep() {
        return InstalledProgram.version("rg").map(v -> Check.ok("ripgrep", v))
                .orElseGet(() -> Check.warn("ripgrep", "ripgrep (rg) is not on the PATH: grep, glob and list use a slower search in Java",
                        "install ripgrep (e.g. apt-get install ripgrep)"));
    }

    static Check bubblewrap() {
        Optional<String> version = InstalledProgram.version("bwrap");
        Optional<String> problem = SandboxState.bubblewrapProblem();
        if (problem.isEmpty()) return Check.ok("bubblewrap", version.orElse("bubblewrap") + ", works here");
        return Check.warn("bubblewrap", version.map(v -> v + " is installed but ").orElse("") + problem.get(),
                version.isPresent() ? "allow unprivileged user namespaces" : "install bubblewrap (e.g. apt-get install bubblewrap)");
    }

    /** Whether the MCP servers config puts in Code Mode can run their scripts here (DESIGN §28, decision 500). */
    static Check codeMode(Map<String, String> env) {
        return CodeModeTools.engineProblem(env).map(p -> Check.fail("code mode", p, "e.g. apt-get install nodejs bubblewrap (node 20 or newer)"))
                .orElseGet(() -> Check.ok("code mode", "mcp_execute runs scripts in node under bubblewrap"));
    }

    /** The {@code sandbox} setting {@code config} for the folder {@code project}, and what it means here now ({@code state}). */
    static Check sandbox(SandboxConfig config, SandboxState state, Path project) {
        String setting = setting(config);
        String name = "sandbox";
        return switch (state) {
            // said outright (DESIGN §26): file tools stay inside the project whatever answers the asks, bash does not
            case SandboxState.Off _ -> Check.ok(name, setting + ": commands run unsandboxed, as configured, in " + project
                    + "; with --allow-all or in unattended work a command may write anywhere you can (file tools still cannot)");
            case SandboxState.Sandboxed _ -> Check.ok(name, setting + ": commands run sandboxed with bubblewrap in " + project + hostsNote(config));
            case SandboxState.Unsandboxed u -> Check.warn(name, setting + ": bubblewrap unusable (" + u.problem() + "): commands run UNSANDBOXED in " + project
                    + "; with --allow-all or in unattended work a command may write anywhere you can (file tools still cannot)",
                    "make bubblewrap work, or set \"sandbox\": \"off\" in lathe.json to run unsandboxed knowingly");
            case SandboxState.Refused r -> Check.fail(name, setting + ": bash refuses to run (" + r.problem() + ") in " + project,
                    "make bubblewrap work, or set \"sandbox\": \"auto\" (run unsandboxed where it does not work) in lathe.json");
        };
    }

    /** {@code auto (network off)}, {@code on (network on, writable [~/.m2])}. */
    private static String setting(SandboxConfig config) {
        String network = switch (config.network()) {
            case SandboxConfig.Network.Off _ -> "off";
            case SandboxConfig.Network.On _ -> "on";
            case SandboxConfig.Network.Hosts h -> String.join(" ", h.hosts());
        };
        return config.mode().name().toLowerCase(Locale.ROOT) + " (network " + network
                + (config.writable().isEmpty() ? "" : ", writable " + String.join(" ", config.writable())) + ")";
    }

    private static String hostsNote(SandboxConfig config) {
        return config.network() instanceof SandboxConfig.Network.Hosts ? "; the host list is not filtered yet: the network is open to every host" : "";
    }

    /** The default model resolved as a session would resolve it (config, catalog, keys), without a request. */
    static Check model(Config config, ProviderSources sources) {
        Optional<String> picked = config.model().isEmpty() ? DefaultModel.of(config, sources) : Optional.empty();
        if (config.model().isEmpty() && picked.isEmpty()) {
            return Check.warn("model", "no default model", "set \"model\": \"PROVIDER/MODEL\" in lathe.json, set a provider key, or pass --model to lathe run");
        }
        String ref = config.model().or(() -> picked).orElseThrow();
        try (HttpClient unused = HttpClient.newBuilder().build()) {
            // the protocols are only looked up here; nothing is sent
            // under local-only mode's policy: a provider it refuses fails here as the session's first request would
            ResolvedModel m = new ModelResolver(config, Protocols.standard(unused), sources, new OutboundGate(
                    NetworkPolicy.of(config), "", BlockedConnections.inMemory())).resolve(ref);
            return Check.ok("model", ref + (picked.isPresent() ? " (no \"model\" set: the default of the first provider with a key)" : "")
                    + " (" + m.provider().protocol() + " at " + m.provider().baseUrl() + ", context " + m.model().context()
                    + ", output " + m.model().output() + ")");
        } catch (ModelException e) {
            return Check.fail("model", ref + ": " + e.getMessage(), "configure the provider or its key, or choose another \"model\"");
        }
    }

    /** One line per provider that is configured or has a key; a warning when none has. */
    static List<Check> providers(Config config, ProviderSources sources, KeyStore keys) {
        Map<String, String> found = keys.sources().stream().collect(Collectors.toMap(KeyStore.Source::provider, KeyStore.Source::where, (a, b) -> a));
        List<Check> out = new ArrayList<>();
        for (KnownProviders.Entry p : KnownProviders.of(config, sources)) {
            boolean configured = config.providers().containsKey(p.id());
            String name = "provider " + p.id();
            switch (p.keySource()) {
                case CONFIG -> out.add(Check.ok(name, "key in the configuration"));
                case AUTH, ENV -> out.add(Check.ok(name, "key from " + found.getOrDefault(p.id(), p.keySource().wire())));
                case NOT_NEEDED -> { if (configured) out.add(Check.ok(name, "no key needed (a server on this machine: " + p.baseUrl().orElse("") + ")")); }
                case NONE -> {
                    if (configured) out.add(Check.warn(name, "configured, but no key is found", "set \"apiKey\" for it in lathe.json, or run lathe auth login " + p.id()));
                }
            }
        }
        if (out.isEmpty()) {
            out.add(Check.warn("providers", "no provider is configured and none has a key",
                    "run lathe auth login PROVIDER, set the provider's key variable (e.g. ANTHROPIC_API_KEY), or configure one under \"provider\""));
        }
        return out;
    }
}
