package dev.lathe.core.claudeplugin;

import dev.lathe.core.config.ConfigException;
import dev.lathe.core.config.LocatedJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code lathe-plugins.lock} (DESIGN §33): for each installed plugin, where it came from, the commit it was taken at,
 * the hash of its files as installed ({@link TreeHash}) and the exact package each command it starts launches. A
 * plugin runs only while its files hash to what the lock says; {@code lathe plugin install|add|update} are the only
 * writers, so a lock moves only when the user asks.
 */
public record PluginLock(Map<String, Entry> plugins) {
    public static final String FILE = "lathe-plugins.lock";
    public static final PluginLock EMPTY = new PluginLock(Map.of());
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public PluginLock {
        plugins = java.util.Collections.unmodifiableMap(new TreeMap<>(plugins));
    }

    /**
     * One locked plugin: {@code source} as the user named it ({@code NAME@MARKETPLACE}, a folder, a git URL), the
     * marketplace it came from, the commit it was taken at (a marketplace's or a clone's), its files' hash and its
     * launches.
     */
    public record Entry(String source, Optional<String> marketplace, Optional<String> commit, String tree, List<Pinned> launches) {
        public Entry {
            launches = List.copyOf(launches);
        }
    }

    /**
     * A package a plugin's command launches, pinned: {@code by} names the command ({@code MCP server fs}), {@code
     * launcher} the runner ({@code npx}), and the exact {@code version} with the registry's {@code integrity} (for a
     * git source, its commit).
     */
    public record Pinned(String by, String launcher, String pkg, String version, String integrity) {
        public String written() { return pkg + "@" + version; }
    }

    public Optional<Entry> entry(String plugin) {
        return Optional.ofNullable(plugins.get(plugin));
    }

    public PluginLock with(String plugin, Entry entry) {
        var all = new TreeMap<>(plugins);
        all.put(plugin, entry);
        return new PluginLock(all);
    }

    public PluginLock without(String plugin) {
        var all = new TreeMap<>(plugins);
        all.remove(plugin);
        return new PluginLock(all);
    }

    /**
     * Why the plugin installed at {@code folder} as {@code name} may not run, or empty when its files are the ones
     * locked: it is not in the lock (installed by hand, or by a Lathe before locks), or its files changed since.
     */
    public Optional<String> refusal(String name, Path folder) {
        Entry e = plugins.get(name);
        if (e == null) {
            return Optional.of("not started: it is not in " + FILE + " (installed by hand or by an older Lathe); lathe plugin update " + name
                    + " locks it as it is");
        }
        String now;
        try {
            now = TreeHash.of(folder);
        } catch (IllegalStateException ex) {
            return Optional.of("not started: " + ex.getMessage());
        }
        if (!now.equals(e.tree())) {
            return Optional.of("not started: its files changed since it was installed from " + e.source() + "; lathe plugin update " + name
                    + " takes them (and shows what changed), lathe plugin remove " + name + " uninstalls it");
        }
        return Optional.empty();
    }

    /**
     * Reads the lock at {@code file}; none there is an empty lock.
     *
     * @throws ConfigException naming the file, line and key of a value that is not what the lock holds
     */
    public static PluginLock read(Path file) {
        if (!Files.isRegularFile(file)) return EMPTY;
        LocatedJson doc;
        try {
            doc = LocatedJson.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "", "cannot read: " + e.getMessage());
        }
        JsonNode all = doc.root().path("plugins");
        if (!all.isObject()) throw new ConfigException(doc.source(), doc.lineOf("plugins"), "plugins", "expected an object of locked plugins");
        var out = new TreeMap<String, Entry>();
        for (String name : all.propertyNames()) {
            String at = "plugins." + name;
            JsonNode e = all.get(name);
            List<Pinned> launches = new ArrayList<>();
            for (JsonNode l : e.path("launches")) {
                launches.add(new Pinned(text(doc, l, at + ".launches", "by"), text(doc, l, at + ".launches", "launcher"), text(doc, l, at + ".launches", "package"),
                        text(doc, l, at + ".launches", "version"), text(doc, l, at + ".launches", "integrity")));
            }
            out.put(name, new Entry(text(doc, e, at, "source"), optional(e, "marketplace"), optional(e, "commit"), text(doc, e, at, "tree"), launches));
        }
        return new PluginLock(out);
    }

    /** Writes the lock to {@code file} whole (a reader never sees half of it). */
    public void write(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("lockfileVersion", 1);
        ObjectNode all = root.putObject("plugins");
        plugins.forEach((name, e) -> {
            ObjectNode o = all.putObject(name);
            o.put("source", e.source());
            e.marketplace().ifPresent(m -> o.put("marketplace", m));
            e.commit().ifPresent(c -> o.put("commit", c));
            o.put("tree", e.tree());
            ArrayNode launches = o.putArray("launches");
            for (Pinned l : e.launches()) {
                launches.addObject().put("by", l.by()).put("launcher", l.launcher()).put("package", l.pkg()).put("version", l.version())
                        .put("integrity", l.integrity());
            }
        });
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), ".lock-", ".tmp");
        Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String text(LocatedJson doc, JsonNode node, String at, String key) {
        JsonNode v = node.get(key);
        if (v == null || !v.isString()) throw new ConfigException(doc.source(), doc.lineOf(at), at + "." + key, "expected a string");
        return v.asString();
    }

    private static Optional<String> optional(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && v.isString() ? Optional.of(v.asString()) : Optional.empty();
    }
}
