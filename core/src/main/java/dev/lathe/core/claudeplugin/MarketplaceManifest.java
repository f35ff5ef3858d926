package dev.lathe.core.claudeplugin;

import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.ConfigText;
import dev.lathe.core.config.LocatedJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A Claude Code marketplace's {@code .claude-plugin/marketplace.json}, read unchanged (DESIGN §33): its {@code name}
 * and one entry per plugin, each with its {@code source}: a path inside the marketplace ({@code ./plugins/x}, or a
 * bare name under {@code metadata.pluginRoot}), or a git repository ({@code {"source": "github", "repo": "o/r"}},
 * {@code {"source": "url" | "git", "url": …}}, each with an optional {@code ref} and {@code sha}). Other source kinds
 * Claude Code knows (npm, pip, a sub-folder of another repository) are listed and refused at install with the reason.
 * Keys Lathe does not read are ignored, as Claude Code ignores them.
 */
public record MarketplaceManifest(String name, List<Entry> plugins) {
    public static final String FILE = ".claude-plugin/marketplace.json";

    public MarketplaceManifest {
        plugins = List.copyOf(plugins);
    }

    /** Where an entry's plugin is fetched from. */
    public sealed interface PluginSource {
        /** A folder of the marketplace itself, relative to its root. */
        record InMarketplace(String path) implements PluginSource {}

        /** A git repository at an optional {@code ref}, checked to be at {@code sha} when one is given. */
        record Git(String url, Optional<String> ref, Optional<String> sha) implements PluginSource {}

        /** A kind Lathe does not fetch (yet): named so the refusal can say which. */
        record Unsupported(String kind) implements PluginSource {}
    }

    public record Entry(String name, PluginSource source, Optional<String> version, Optional<String> description) {}

    public Optional<Entry> entry(String plugin) {
        return plugins.stream().filter(e -> e.name().equals(plugin)).findFirst();
    }

    /**
     * Reads the marketplace at {@code root}.
     *
     * @throws ConfigException naming the file, line and key of the first problem (also when there is no such file)
     */
    public static MarketplaceManifest read(Path root) {
        Path file = root.resolve(FILE);
        String text;
        try {
            text = ConfigText.project(root, file).orElseThrow(() -> new ConfigException(root.toString(), 0, "", "not a marketplace: " + FILE + " is missing"));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "", "cannot read: " + e.getMessage());
        }
        LocatedJson doc = LocatedJson.parse(file.toString(), text);
        JsonNode r = doc.root();
        String name = r.path("name").asString("");
        if (!PluginManifest.NAME.matcher(name).matches()) PluginManifest.fail(doc, "name", "missing or not a usable marketplace name (letters, digits, '-' and '_')");
        if (!r.path("plugins").isArray()) PluginManifest.fail(doc, "plugins", "expected an array of plugin entries");
        String pluginRoot = r.path("metadata").path("pluginRoot").asString("");
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < r.get("plugins").size(); i++) {
            JsonNode e = r.get("plugins").get(i);
            String at = "plugins[" + i + "]";
            String plugin = e.path("name").asString("");
            if (!PluginManifest.NAME.matcher(plugin).matches()) PluginManifest.fail(doc, at + ".name", "missing or not a usable plugin name");
            entries.add(new Entry(plugin, source(doc, at + ".source", e.get("source"), pluginRoot), optional(e, "version"), optional(e, "description")));
        }
        return new MarketplaceManifest(name, entries);
    }

    private static PluginSource source(LocatedJson doc, String at, JsonNode s, String pluginRoot) {
        if (s == null) PluginManifest.fail(doc, at, "missing: where the plugin is");
        if (s.isString()) {
            String path = s.asString();
            if (!path.startsWith("./") && !pluginRoot.isEmpty()) path = pluginRoot.replaceAll("/+$", "") + "/" + path;
            for (String part : path.split("/")) if (part.equals("..")) PluginManifest.fail(doc, at, "'" + s.asString() + "' must stay inside the marketplace (no ..)");
            return new PluginSource.InMarketplace(path.startsWith("./") ? path.substring(2) : path);
        }
        if (!s.isObject()) PluginManifest.fail(doc, at, "expected a path starting with ./ or a source object");
        String kind = s.path("source").asString("");
        Optional<String> ref = optional(s, "ref");
        Optional<String> sha = optional(s, "sha");
        if (sha.isPresent() && !sha.get().matches("[0-9a-f]{40}")) PluginManifest.fail(doc, at + ".sha", "expected a full 40-character commit");
        return switch (kind) {
            case "github" -> {
                String repo = s.path("repo").asString("");
                if (!repo.matches("[\\w.-]+/[\\w.-]+")) PluginManifest.fail(doc, at + ".repo", "expected owner/repo");
                yield new PluginSource.Git("https://github.com/" + repo + ".git", ref, sha);
            }
            case "url", "git" -> {
                String url = s.path("url").asString("");
                if (!PluginInstalls.isGitUrl(url)) PluginManifest.fail(doc, at + ".url", "expected a git URL");
                yield new PluginSource.Git(url, ref, sha);
            }
            default -> new PluginSource.Unsupported(kind.isEmpty() ? "unnamed" : kind);
        };
    }

    private static Optional<String> optional(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && v.isString() ? Optional.of(v.asString()) : Optional.empty();
    }
}
