package dev.lathe.core.offline;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.ConfigEditor;
import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigLoader;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.project.ProjectRoot;
import dev.lathe.core.mcp.McpSecrets;
import dev.lathe.core.trust.TrustItem;
import dev.lathe.core.trust.Withheld;
import dev.lathe.mcp.McpServerSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code lathe mcp list|add|remove} without a server: the MCP servers a folder's configuration defines, and entries
 * written into (or removed from) the global {@code lathe.json} or the project's {@code .lathe/lathe.json} through
 * {@link ConfigEditor} (validated first, comments kept), as {@code claude mcp add} does.
 */
public final class McpEntries {
    /** Which file an entry goes to. */
    public enum Scope { GLOBAL, PROJECT }

    /**
     * The folder's servers, and the ones its untrusted layers define that do not run until {@code lathe trust}
     * ({@code withheld}: {@code NAME (FILE)}; {@code untrusted}: the same, apart).
     *
     * @param environment the variables the configuration was read with, whose credentials {@link #rows} hides
     */
    public record Listed(Map<String, McpServerSpec> servers, List<String> withheld, List<Untrusted> untrusted, Map<String, String> environment) {
        /** The servers as {@code lathe mcp list} prints them, in configuration order, credentials masked. */
        public List<Row> rows() {
            return servers.values().stream().map(s -> Row.of(s, environment)).toList();
        }
    }

    /**
     * A server the folder defines in {@code source} (its path relative to the project root) that does not run: the
     * folder is not trusted, or the server was added or changed since it was trusted ({@code changedSinceTrust});
     * {@code target} is its command line or URL as written (header and variable values left out).
     */
    public record Untrusted(String name, String source, String target, boolean changedSinceTrust) {
        public Untrusted(String name, String source) {
            this(name, source, "", false);
        }
    }

    /**
     * One server in words: {@code type} {@code local|remote}, {@code target} its command line or URL with what may be a
     * credential masked ({@link McpSecrets}: an expanded {@code ${TOKEN}} in its arguments, a URL's query).
     */
    public record Row(String name, String type, String target, boolean enabled) {
        static Row of(McpServerSpec spec, Map<String, String> environment) {
            boolean enabled = spec.activation() == McpServerSpec.Activation.ENABLED;
            McpSecrets secrets = McpSecrets.of(spec, environment);
            return switch (spec) {
                case McpServerSpec.Local l -> new Row(l.name(), "local", secrets.scrub(String.join(" ", l.command())), enabled);
                case McpServerSpec.Remote r -> new Row(r.name(), "remote", secrets.scrub(McpSecrets.shown(r.url())), enabled);
            };
        }
    }

    private McpEntries() {}

    /** @throws OfflineFailure when the configuration does not load */
    public static Listed list(Map<String, String> env, Path directory) {
        Config config = load(env, directory);
        List<TrustItem> items = config.withheldOf(Withheld.Kind.MCP_SERVERS).isEmpty() ? List.of() : trustItems(env, directory);
        List<Untrusted> untrusted = config.withheldOf(Withheld.Kind.MCP_SERVERS).stream()
                .flatMap(w -> w.items().stream().map(name -> new Untrusted(name, w.source(), target(items, w.source(), name),
                        w.reason() == Withheld.Reason.CHANGED_SINCE_TRUST))).toList();
        List<String> withheld = untrusted.stream().map(u -> u.name() + " (" + u.source() + ")").toList();
        return new Listed(config.mcp(), withheld, untrusted, env);
    }

    /**
     * Adds {@code mcp.NAME} = {@code entryJson} (a JSON object) to the {@code scope} file.
     *
     * @return the file written
     * @throws OfflineFailure when a server of that name is configured already (in any layer), the entry is invalid
     *     (file, line and key named), or the file cannot be written
     */
    public static Path add(Map<String, String> env, Path directory, Scope scope, String name, String entryJson) {
        if (load(env, directory).mcp().containsKey(name)) {
            throw new OfflineFailure("an MCP server called '" + name + "' is configured already; `lathe mcp remove " + name
                    + "` first");
        }
        Path root = root(directory);
        Path file = file(env, root, scope);
        try {
            editor(env).apply(root, file, "{\"mcp\": {" + quote(name) + ": " + entryJson + "}}");
        } catch (ConfigException | java.io.UncheckedIOException | IllegalArgumentException e) {
            throw new OfflineFailure(e.getMessage());
        }
        return file;
    }

    /** Removes {@code mcp.NAME} from the {@code scope} file; @return whether it was there */
    public static boolean remove(Map<String, String> env, Path directory, Scope scope, String name) {
        Path root = root(directory);
        try {
            return editor(env).apply(root, file(env, root, scope), "{\"mcp\": {" + quote(name) + ": null}}");
        } catch (ConfigException | java.io.UncheckedIOException | IllegalArgumentException e) {
            throw new OfflineFailure(e.getMessage());
        }
    }

    private static ConfigEditor editor(Map<String, String> env) {
        return new ConfigEditor(ConfigLoader.standard(LathePaths.fromEnvironment(env), env));
    }

    private static Path file(Map<String, String> env, Path root, Scope scope) {
        return switch (scope) {
            case GLOBAL -> LathePaths.fromEnvironment(env).globalConfig();
            case PROJECT -> ConfigEditor.projectFile(root);
        };
    }

    private static Path root(Path directory) {
        return ProjectRoot.repoRoot(ProjectRoot.normalise(directory.toAbsolutePath().toString()));
    }

    /** The folder's merged configuration; @throws OfflineFailure when it does not load */
    /** What the folder defines that runs code, item by item, as trust reviews it. */
    private static List<TrustItem> trustItems(Map<String, String> env, Path directory) {
        try {
            Path folder = ProjectRoot.normalise(directory.toAbsolutePath().toString());
            return ConfigLoader.standard(LathePaths.fromEnvironment(env), env).trustItems(ProjectRoot.repoRoot(folder));
        } catch (ConfigException e) {
            throw new OfflineFailure(e.getMessage());
        }
    }

    /** The command line ({@code command} and {@code args}) or URL of the server {@code name} as {@code source} writes it. */
    private static String target(List<TrustItem> items, String source, String name) {
        for (var item : items) {
            if (item.kind() != Withheld.Kind.MCP_SERVERS || !item.source().equals(source) || !item.name().equals(name)) continue;
            try {
                var entry = tools.jackson.databind.json.JsonMapper.builder().build().readTree(item.text());
                if (entry.path("url").isString()) return McpSecrets.shown(java.net.URI.create(entry.path("url").asString()));
                List<String> words = new java.util.ArrayList<>();
                if (entry.path("command").isArray()) entry.path("command").forEach(w -> words.add(w.asString()));
                else if (entry.path("command").isString()) words.add(entry.path("command").asString());
                entry.path("args").forEach(w -> words.add(w.asString()));
                return String.join(" ", words);
            } catch (RuntimeException e) {
                return "";
            }
        }
        return "";
    }

    static Config load(Map<String, String> env, Path directory) {
        try {
            Path folder = ProjectRoot.normalise(directory.toAbsolutePath().toString());
            ConfigLoader loader = ConfigLoader.standard(LathePaths.fromEnvironment(env), env);
            return loader.load(ProjectRoot.repoRoot(folder), loader.trustOf(folder));
        } catch (ConfigException e) {
            throw new OfflineFailure(e.getMessage());
        }
    }

    private static String quote(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
