package dev.lathe.core.claudeplugin;

import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigText;
import dev.lathe.core.config.LocatedJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A Claude Code plugin's {@code .claude-plugin/plugin.json}, validated: {@code name} (required; it prefixes the
 * plugin's commands, agents, skills and MCP servers), {@code version}, {@code description}, {@code author} (a string or
 * {@code {name, email, url}}), and the component paths, each {@code ./}-relative inside the plugin: {@code commands},
 * {@code agents}, {@code skills} (a path or a list of paths, folders or single files, which supplement the default
 * {@code commands/}, {@code agents/} and {@code skills/}), {@code hooks} and {@code mcpServers} (a path to a JSON file,
 * or the object inline). Keys Claude Code reads for itself ({@code homepage}, {@code repository}, {@code license},
 * {@code keywords}, {@code outputStyles}, {@code lspServers}, ...) and keys it may add later are ignored; a wrong type
 * of a key Lathe reads is an error naming the file, line and key.
 *
 * <p>{@code document} is the parsed file, kept for inline {@code hooks} and {@code mcpServers}.
 */
public record PluginManifest(String name, Optional<String> version, Optional<String> description, Optional<String> author,
        List<Path> commands, List<Path> agents, List<Path> skills, Optional<Path> hooksFile, Optional<Path> mcpFile,
        LocatedJson document) {
    /** Where the manifest is inside a plugin folder. */
    public static final String FILE = ".claude-plugin/plugin.json";
    /**
     * Letters, digits, {@code -} and {@code _}: the name becomes part of command names ({@code /NAME:cmd}) and of MCP
     * server names ({@code plugin_NAME_server}), which allow no more.
     */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public PluginManifest {
        commands = List.copyOf(commands);
        agents = List.copyOf(agents);
        skills = List.copyOf(skills);
    }

    /** Whether the manifest holds its hooks inline ({@code "hooks": {...}}). */
    public boolean hasInlineHooks() { return document.root().path("hooks").isObject(); }

    /** Whether the manifest holds its MCP servers inline ({@code "mcpServers": {...}}). */
    public boolean hasInlineMcpServers() { return document.root().path("mcpServers").isObject(); }

    /**
     * Reads the manifest of the plugin at {@code root}.
     *
     * @throws ConfigException naming the file, line and key of the first problem (also when there is no manifest)
     */
    public static PluginManifest read(Path root) {
        Path file = root.resolve(FILE);
        String text;
        try {
            // a plugin folder config names is anyone's checkout: its manifest is read as a project's configuration is
            text = ConfigText.project(root, file)
                    .orElseThrow(() -> new ConfigException(root.toString(), 0, "", "not a Claude Code plugin: " + FILE + " is missing"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "", "cannot read: " + e.getMessage());
        }
        LocatedJson doc = LocatedJson.parse(file.toString(), text);
        JsonNode r = doc.root();
        if (!r.path("name").isString() || r.get("name").asString().isBlank()) fail(doc, "name", "missing: the plugin's name is required");
        String name = r.get("name").asString();
        if (!NAME.matcher(name).matches()) {
            fail(doc, "name", "'" + name + "' is not a usable plugin name (letters, digits, '-' and '_', at most 64)");
        }
        Optional<String> author = Optional.empty();
        JsonNode a = r.get("author");
        if (a != null) {
            if (a.isString()) author = Optional.of(a.asString());
            else if (a.isObject() && (!a.has("name") || a.get("name").isString())) author = Optional.ofNullable(a.path("name").asString(null));
            else fail(doc, "author", "expected a string or an object with a name");
        }
        return new PluginManifest(name, text(doc, "version"), text(doc, "description"), author,
                paths(doc, root, "commands"), paths(doc, root, "agents"), paths(doc, root, "skills"),
                file(doc, root, "hooks"), file(doc, root, "mcpServers"), doc);
    }

    private static Optional<String> text(LocatedJson doc, String key) {
        JsonNode v = doc.root().get(key);
        if (v == null) return Optional.empty();
        if (!v.isString()) fail(doc, key, "expected a string");
        return Optional.of(v.asString());
    }

    /** A path or a list of paths. */
    private static List<Path> paths(LocatedJson doc, Path root, String key) {
        JsonNode v = doc.root().get(key);
        List<Path> out = new ArrayList<>();
        if (v == null) return out;
        if (v.isString()) {
            out.add(relative(doc, root, key, v.asString()));
        } else if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isString()) fail(doc, key + "[" + i + "]", "expected a path starting with ./");
                out.add(relative(doc, root, key + "[" + i + "]", v.get(i).asString()));
            }
        } else {
            fail(doc, key, "expected a path starting with ./ or a list of them");
        }
        return out;
    }

    /** A path to a JSON file, or (empty) an object written inline. */
    private static Optional<Path> file(LocatedJson doc, Path root, String key) {
        JsonNode v = doc.root().get(key);
        if (v == null || v.isObject()) return Optional.empty();
        if (!v.isString()) fail(doc, key, "expected a path to a JSON file (starting with ./) or an object");
        return Optional.of(relative(doc, root, key, v.asString()));
    }

    /** Claude Code's rule: relative, starting with {@code ./}, never climbing out of the plugin. */
    private static Path relative(LocatedJson doc, Path root, String key, String written) {
        if (!written.startsWith("./")) fail(doc, key, "'" + written + "' must be relative to the plugin and start with ./");
        for (String part : written.split("/")) {
            if (part.equals("..")) fail(doc, key, "'" + written + "' must stay inside the plugin (no ..)");
        }
        return root.resolve(written.substring(2)).normalize();
    }

    static void fail(LocatedJson doc, String key, String problem) {
        throw new ConfigException(doc.source(), doc.lineOf(key), key, problem);
    }
}
