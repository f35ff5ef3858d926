package dev.lathe.core.plugin;

import dev.lathe.core.hooks.Hook;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.trust.ExtensionPins;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.toolcall.ExtensionTools;
import dev.lathe.core.trust.FolderTrust;
import dev.lathe.core.trust.TrustGate;
import dev.lathe.core.trust.TrustedFolders;
import dev.lathe.core.trust.Withheld;
import dev.lathe.protocol.api.EventListener;
import dev.lathe.tools.Tool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link ExtensionTools} over the script tools and Java plugins (DESIGN §14): the user's, in
 * {@code $XDG_CONFIG_HOME/lathe/tools/} and {@code $XDG_CONFIG_HOME/lathe/plugins/}, offered in every project; and a
 * project's own, in {@code .lathe/tools/} and {@code .lathe/plugins/} of its folder, only while that folder is trusted.
 * A project's tool wins over the user's of the same name; a name the built-ins (or an earlier tool) already use is
 * left out and reported. The set changes only when a file in those folders changes, so the request's tool list stays
 * byte-stable between steps.
 *
 * <p>Plugins' listeners are fed by {@link #events}, which the caller subscribes to the event bus.
 */
public final class PluginTools implements ExtensionTools, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PluginTools.class.getName());
    /** The project folders, relative to the project's root (DESIGN §18 lists them beside commands and skills). */
    public static final String PROJECT_TOOLS = ExtensionPins.PROJECT_TOOLS;
    public static final String PROJECT_PLUGINS = ExtensionPins.PROJECT_PLUGINS;

    private final PluginEvents events = new PluginEvents();
    private final ExtensionFolders user;
    private final Map<Path, ExtensionFolders> projects = new ConcurrentHashMap<>();
    private final Function<Path, FolderTrust> trust;
    /** The trust gate a project folder's own jars and scripts pass (DESIGN §18 "Trust pins what it approved"). */
    private final java.util.function.BiFunction<FolderTrust, Path, TrustGate> gates;
    private final Set<String> taken;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    /**
     * @param trust whether a project folder's own definitions apply (read at every use: {@code lathe trust} applies at
     *     the next step)
     * @param builtins the names the built-in tools take
     */
    public PluginTools(LathePaths paths, TrustedFolders trusted, Set<String> builtins) {
        this(paths.config().resolve("plugins"), paths.config().resolve("tools"), trusted::of, trusted::gateOf, builtins);
    }

    /** As the server's, for a folder of {@code folderTrust} (lathe doctor judges it once, as it reads the config). */
    public PluginTools(LathePaths paths, FolderTrust folderTrust, TrustedFolders trusted, Set<String> builtins) {
        this(paths.config().resolve("plugins"), paths.config().resolve("tools"), _ -> folderTrust, trusted::gateOf, builtins);
    }

    PluginTools(Path userPlugins, Path userTools, Function<Path, FolderTrust> trust, java.util.function.BiFunction<FolderTrust, Path, TrustGate> gates,
            Set<String> builtins) {
        this.user = new ExtensionFolders(userPlugins, userTools, Optional.empty(), events);
        this.trust = trust;
        this.gates = gates;
        this.taken = Set.copyOf(builtins);
    }

    /** Where the plugins' listeners hear events: subscribe it to the bus (it returns at once). */
    public EventListener events() { return events; }

    @Override
    public List<Tool<?>> offered(Path projectDir, String sessionId) {
        return tools(projectDir);
    }

    @Override
    public Optional<Tool<?>> find(Path projectDir, String name) {
        return tools(projectDir).stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * The hooks the plugins the project at {@code projectDir} sees register: its own (while trusted), then the user's.
     * They fire after the configured hooks, in parallel with them.
     */
    public List<Hook> hooks(Path projectDir) {
        List<Hook> out = new ArrayList<>(project(projectDir).map(ExtensionFolders::hooks).orElse(List.of()));
        out.addAll(user.hooks());
        return List.copyOf(out);
    }

    /** What the script tools and plugins the project at {@code projectDir} sees could not take, one line each. */
    public List<String> problems(Path projectDir) {
        List<String> out = new ArrayList<>();
        project(projectDir).ifPresent(p -> out.addAll(p.problems()));
        out.addAll(user.problems());
        return out;
    }

    private List<Tool<?>> tools(Path projectDir) {
        Map<String, Tool<?>> out = new LinkedHashMap<>();
        Set<String> used = new HashSet<>(taken);
        for (Tool<?> t : project(projectDir).map(ExtensionFolders::tools).orElse(List.of())) add(out, used, t);
        for (Tool<?> t : user.tools()) add(out, used, t);
        return List.copyOf(out.values());
    }

    private void add(Map<String, Tool<?>> out, Set<String> used, Tool<?> tool) {
        if (used.add(tool.name())) {
            out.put(tool.name(), tool);
        } else if (reported.add(origin(tool))) {
            LOG.log(System.Logger.Level.WARNING, "{0}: a tool named {1} is already offered; this one is left out", origin(tool), tool.name());
        }
    }

    private static String origin(Tool<?> tool) {
        return switch (tool) {
            case ScriptTool s -> s.file().toString();
            case GuardedTool<?> g -> "plugin " + g.plugin() + " tool " + g.name();
            default -> tool.name();
        };
    }

    /** The project's own folders while it is trusted; closed (plugins unloaded) once it is not. */
    private Optional<ExtensionFolders> project(Path projectDir) {
        if (!trust.apply(projectDir).trusted()) {
            ExtensionFolders was = projects.remove(projectDir);
            if (was != null) was.close();
            return Optional.empty();
        }
        return Optional.of(projects.computeIfAbsent(projectDir, d -> new ExtensionFolders(d.resolve(PROJECT_PLUGINS), d.resolve(PROJECT_TOOLS),
                Optional.of(d.toString()), events, () -> admission(d))));
    }

    /**
     * Which of {@code projectDir}'s own jars and scripts load: those its trust gate admits as they are now (pinned by
     * content at the project's root, as {@code lathe trust} approved them).
     */
    private ExtensionFolders.Admission admission(Path projectDir) {
        Path root = ProjectRoot.repoRoot(projectDir);
        TrustGate gate = gates.apply(trust.apply(projectDir), root);
        return (file, sha256) -> (sha256 == null ? ExtensionPins.item(root, file) : Optional.of(ExtensionPins.item(root, file, sha256)))
                .map(gate::admit).orElse(false);
    }

    /**
     * What the project folder {@code projectDir} defines here that runs only once it is trusted: its executable script
     * tools and its plugin jars, by file name (for the untrusted-folder warning, one per kind).
     */
    public static List<Withheld> withheld(Path projectDir) {
        List<Withheld> out = new ArrayList<>();
        List<String> scripts = names(projectDir.resolve(PROJECT_TOOLS), p -> java.nio.file.Files.isExecutable(p));
        List<String> jars = names(projectDir.resolve(PROJECT_PLUGINS), p -> p.getFileName().toString().endsWith(".jar"));
        if (!scripts.isEmpty()) out.add(new Withheld(Withheld.Kind.SCRIPT_TOOLS, PROJECT_TOOLS, scripts));
        if (!jars.isEmpty()) out.add(new Withheld(Withheld.Kind.PLUGIN_JARS, PROJECT_PLUGINS, jars));
        return out;
    }

    private static List<String> names(Path folder, java.util.function.Predicate<Path> taking) {
        if (!java.nio.file.Files.isDirectory(folder)) return List.of();
        try (var files = java.nio.file.Files.list(folder)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".") && java.nio.file.Files.isRegularFile(p) && taking.test(p))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    /** The project at {@code projectDir} closed: its plugins are unloaded (loaded again when it opens). */
    public void close(Path projectDir) {
        ExtensionFolders was = projects.remove(projectDir);
        if (was != null) was.close();
    }

    @Override
    public void close() {
        projects.keySet().forEach(this::close);
        user.close();
    }
}
