package dev.lathe.core.claudeplugin;

import dev.lathe.core.agent.AgentLoader;
import dev.lathe.core.commandfile.CommandFiles;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigText;
import dev.lathe.core.config.LocatedJson;
import dev.lathe.core.config.McpJsonFile;
import dev.lathe.core.skill.SkillFiles;
import dev.lathe.mcp.McpServerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Reads Claude Code plugin folders. Each folder's parts are found as Claude Code finds them: the default
 * {@code commands/}, {@code agents/}, {@code skills/}, {@code hooks/hooks.json} and {@code .mcp.json}, plus the paths
 * the manifest names (which supplement the defaults; a named path that does not exist is an error). A plugin whose
 * manifest or hooks or MCP file is broken is left out and reported in {@link Loaded#problems} (file, line and key):
 * the other plugins and everything else still load. Two plugins of one name: the first listed wins, the other is a
 * problem. Never throws for a bad plugin.
 */
public final class ClaudePlugins {
    private static final System.Logger LOG = System.getLogger(ClaudePlugins.class.getName());

    private ClaudePlugins() {}

    /** The plugins read, in the order their folders were given, and why any folder was left out. */
    public record Loaded(List<ClaudePlugin> plugins, List<String> problems) {
        public static final Loaded NONE = new Loaded(List.of(), List.of());

        public Loaded {
            plugins = List.copyOf(plugins);
            problems = List.copyOf(problems);
        }

        /** Every plugin's MCP servers by their prefixed names, in plugin order. */
        public Map<String, McpServerSpec> mcpServers() {
            Map<String, McpServerSpec> out = new LinkedHashMap<>();
            for (ClaudePlugin p : plugins) p.mcp().forEach(out::putIfAbsent);
            return out;
        }

        /** Where the command loader finds the plugins' commands ({@code /PLUGIN:cmd}). */
        public List<CommandFiles.PluginSource> commandSources() {
            return plugins.stream().flatMap(p -> p.commands().stream()
                    .map(path -> new CommandFiles.PluginSource(p.name(), path, p::expandRoot))).toList();
        }

        /** Where the skill loader finds the plugins' skills ({@code PLUGIN:skill}). */
        public List<SkillFiles.PluginSource> skillSources() {
            return plugins.stream().flatMap(p -> p.skills().stream().map(path -> new SkillFiles.PluginSource(p.name(), path)))
                    .toList();
        }

        /** Where the agent loader finds the plugins' agents ({@code PLUGIN:agent}). */
        public List<AgentLoader.PluginSource> agentSources() {
            return plugins.stream().flatMap(p -> p.agents().stream()
                    .map(path -> new AgentLoader.PluginSource(p.name(), path, p::expandRoot))).toList();
        }

        /** Every plugin's hooks, in plugin order, for the hook engine. */
        public List<PluginHooks> hooks() {
            return plugins.stream().flatMap(p -> p.hooks().stream()).toList();
        }
    }

    /** The plugin folders installed under {@code dir} ({@code lathe plugin add}): its sub-folders with a manifest, by name. */
    public static List<Path> installed(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve(PluginManifest.FILE))).sorted().toList();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot list installed plugins in " + dir + ": " + e.getMessage());
            return List.of();
        }
    }

    /**
     * Reads {@code folders} (duplicates read once).
     *
     * @param env the environment {@code ${VAR}} in the plugins' MCP files is expanded from
     */
    public static Loaded load(List<Path> folders, Map<String, String> env) {
        List<ClaudePlugin> plugins = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Path> byName = new HashMap<>();
        for (Path folder : new LinkedHashSet<>(folders.stream().map(p -> p.toAbsolutePath().normalize()).toList())) {
            try {
                ClaudePlugin plugin = read(folder, env);
                Path other = byName.putIfAbsent(plugin.name(), folder);
                if (other != null) {
                    problems.add(folder.resolve(PluginManifest.FILE) + ": name: the plugin '" + plugin.name() + "' is already loaded from " + other
                            + "; this one is left out");
                    continue;
                }
                plugins.add(plugin);
            } catch (ConfigException e) {
                problems.add(e.getMessage());
            }
        }
        for (String p : problems) LOG.log(System.Logger.Level.WARNING, "Claude Code plugin left out: " + p);
        return new Loaded(plugins, problems);
    }

    /**
     * Reads one plugin folder.
     *
     * @throws ConfigException naming the file, line and key of the first problem
     */
    public static ClaudePlugin read(Path root, Map<String, String> env) {
        PluginManifest m = PluginManifest.read(root);
        List<Path> commands = sources(root.resolve("commands"), m.commands(), m, "commands");
        List<Path> agents = sources(root.resolve("agents"), m.agents(), m, "agents");
        List<Path> skills = sources(root.resolve("skills"), m.skills(), m, "skills");
        List<PluginHooks> hooks = new ArrayList<>();
        Path defaultHooks = root.resolve("hooks/hooks.json");
        if (Files.isRegularFile(defaultHooks)) hooks.add(hooks(m.name(), root, parse(root, defaultHooks), ""));
        m.hooksFile().filter(f -> !f.equals(defaultHooks)).ifPresent(f -> hooks.add(hooks(m.name(), root, parse(root, existing(f, m, "hooks")), "")));
        if (m.hasInlineHooks()) hooks.add(hooks(m.name(), root, m.document(), "hooks"));

        Map<String, String> mcpEnv = new HashMap<>(env);
        mcpEnv.put(ClaudePlugin.ROOT_VARIABLE, root.toString());
        Map<String, McpServerSpec> mcp = new LinkedHashMap<>();
        Path defaultMcp = root.resolve(".mcp.json");
        if (Files.isRegularFile(defaultMcp)) mcp.putAll(McpJsonFile.servers(parse(root, defaultMcp), mcpEnv));
        m.mcpFile().filter(f -> !f.equals(defaultMcp)).ifPresent(f -> mcp.putAll(McpJsonFile.servers(parse(root, existing(f, m, "mcpServers")), mcpEnv)));
        if (m.hasInlineMcpServers()) mcp.putAll(McpJsonFile.servers(m.document(), mcpEnv));
        Map<String, McpServerSpec> named = new LinkedHashMap<>();
        mcp.forEach((server, spec) -> named.put(serverName(m.name(), server), renamed(spec, serverName(m.name(), server), root)));
        return new ClaudePlugin(m, root, commands, agents, skills, hooks, named);
    }

    /** Claude Code's {@code plugin:PLUGIN:server} in the characters a Lathe server name allows. */
    public static String serverName(String plugin, String server) {
        return "plugin_" + plugin + "_" + server;
    }

    private static McpServerSpec renamed(McpServerSpec spec, String name, Path root) {
        return switch (spec) {
            case McpServerSpec.Local l -> {
                Map<String, String> env = new LinkedHashMap<>(l.env());
                env.putIfAbsent(ClaudePlugin.ROOT_VARIABLE, root.toString());
                yield new McpServerSpec.Local(name, l.command(), env, l.activation(), l.timeout());
            }
            case McpServerSpec.Remote r -> new McpServerSpec.Remote(name, r.url(), r.headers(), r.oauth(), r.activation(), r.timeout());
        };
    }

    /** The default folder when it exists, then each named path (which must exist). */
    private static List<Path> sources(Path fallback, List<Path> named, PluginManifest m, String key) {
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(fallback)) out.add(fallback);
        for (Path p : named) {
            Path path = existing(p, m, key);
            if (!out.contains(path)) out.add(path);
        }
        return out;
    }

    private static Path existing(Path p, PluginManifest m, String key) {
        if (!Files.exists(p)) PluginManifest.fail(m.document(), key, p + " does not exist");
        return p;
    }

    /** A JSON file of the plugin at {@code root}: read as a project's configuration is (inside the plugin, one name, bounded). */
    private static LocatedJson parse(Path root, Path file) {
        try {
            String text = ConfigText.project(root, file).orElseThrow(() -> new java.nio.file.NoSuchFileException(file.toString()));
            return LocatedJson.parse(file.toString(), text);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "", "cannot read: " + e.getMessage());
        }
    }

    /**
     * The events of a hooks document: {@code {"hooks": {EVENT: [...]}}} (Claude Code's settings shape, which plugin
     * hooks files use, an optional {@code description} beside it), or the events at the top level; {@code at} is the
     * key holding them in a manifest ({@code hooks}), empty for a file.
     */
    private static PluginHooks hooks(String plugin, Path root, LocatedJson doc, String at) {
        JsonNode events = at.isEmpty() ? doc.root() : doc.root().get(at);
        String prefix = at;
        if (at.isEmpty() && doc.root().path("hooks").isObject()) {
            events = doc.root().get("hooks");
            prefix = "hooks";
        }
        List<PluginHooks.Event> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : events.properties()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (prefix.isEmpty() && e.getKey().equals("description")) continue;
            if (!e.getValue().isArray()) {
                throw new ConfigException(doc.source(), doc.lineOf(key), key, "expected an array of matcher groups ({\"matcher\": ..., \"hooks\": [...]})");
            }
            for (int i = 0; i < e.getValue().size(); i++) {
                JsonNode group = e.getValue().get(i);
                if (!group.isObject() || !group.path("hooks").isArray()) {
                    throw new ConfigException(doc.source(), doc.lineOf(key + "[" + i + "]"), key + "[" + i + "]", "expected {\"matcher\": ..., \"hooks\": [...]}");
                }
            }
            out.add(new PluginHooks.Event(e.getKey(), e.getValue().toString(), doc.lineOf(key)));
        }
        return new PluginHooks(plugin, root, Path.of(doc.source()), out);
    }


}
