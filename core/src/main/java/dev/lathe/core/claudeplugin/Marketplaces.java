package dev.lathe.core.claudeplugin;

import dev.lathe.core.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The marketplaces the user added ({@code lathe plugin marketplace add|list|remove|update}, DESIGN §33): each fetched
 * into {@code dir/NAME} (a clone at its ref, or a copy of a folder) and recorded in {@code dir/known.json} with its
 * source and the commit it was fetched at (a folder's: the hash of its files). Adding checks the administrator's
 * {@link MarketplacePolicy} first; a marketplace is read unchanged from Claude Code's {@code marketplace.json}.
 */
public final class Marketplaces {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KNOWN = "known.json";

    private final Path dir;
    private final Map<String, String> env;
    private final MarketplacePolicy policy;
    private final GitFetch git;

    public Marketplaces(Path dir, Map<String, String> env, MarketplacePolicy policy) {
        this.dir = dir;
        this.env = env;
        this.policy = policy;
        this.git = new GitFetch(env);
    }

    /** One added marketplace: its name, source, the commit it is at, and its manifest or why it cannot be read. */
    public record Known(String name, String source, Optional<String> ref, String commit, Optional<MarketplaceManifest> manifest, Optional<String> problem) {}

    /** What an update found: the commit before and after, and whether a tag it follows was moved (a tag should never move). */
    public record Updated(String name, String before, String after, boolean tagMoved) {}

    public Known add(String written, Optional<String> ref) {
        MarketplaceSource source = MarketplaceSource.parse(written, ref);
        policy.refusal(source).ifPresent(why -> {
            throw new PluginInstalls.Failure(why);
        });
        Map<String, Record> known = known();
        Fetched f = fetch(source);
        try {
            String name = f.manifest().name();
            if (known.containsKey(name)) {
                throw new PluginInstalls.Failure("a marketplace named '" + name + "' is added already (from " + known.get(name).source()
                        + "); lathe plugin marketplace remove " + name + " first");
            }
            Files.move(f.folder(), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            known.put(name, new Record(source.written(), source.ref(), f.commit()));
            save(known);
            return new Known(name, source.written(), source.ref(), f.commit(), Optional.of(f.manifest()), Optional.empty());
        } catch (IOException e) {
            throw new PluginInstalls.Failure("cannot add " + written + ": " + e.getMessage());
        } finally {
            PluginInstalls.deleteQuietly(f.staging());
        }
    }

    public List<Known> list() {
        List<Known> out = new ArrayList<>();
        known().forEach((name, r) -> {
            try {
                out.add(new Known(name, r.source(), r.ref(), r.commit(), Optional.of(MarketplaceManifest.read(dir.resolve(name))), Optional.empty()));
            } catch (ConfigException e) {
                out.add(new Known(name, r.source(), r.ref(), r.commit(), Optional.empty(), Optional.of(e.getMessage())));
            }
        });
        return out;
    }

    /** @return whether a marketplace of that name was added; its installed plugins stay */
    public boolean remove(String name) {
        Map<String, Record> known = known();
        if (known.remove(name) == null) return false;
        try {
            save(known);
            PluginInstalls.delete(dir.resolve(name));
        } catch (IOException e) {
            throw new PluginInstalls.Failure("cannot remove the marketplace " + name + ": " + e.getMessage());
        }
        return true;
    }

    /** Fetches {@code name} again from its source and ref; the plugins installed from it move only with {@code lathe plugin update}. */
    public Updated update(String name) {
        Map<String, Record> known = known();
        Record r = known.get(name);
        if (r == null) throw new PluginInstalls.Failure("no marketplace named " + name + " is added (lathe plugin marketplace list shows them)");
        MarketplaceSource source = MarketplaceSource.parse(r.source(), r.ref());
        policy.refusal(source).ifPresent(why -> {
            throw new PluginInstalls.Failure(why);
        });
        Fetched f = fetch(source);
        try {
            if (!f.manifest().name().equals(name)) {
                throw new PluginInstalls.Failure(r.source() + " now names its marketplace '" + f.manifest().name() + "', not '" + name + "': remove and add it");
            }
            Path old = dir.resolve(".old-" + name);
            PluginInstalls.delete(old);
            Files.move(dir.resolve(name), old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(f.folder(), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            PluginInstalls.delete(old);
            known.put(name, new Record(r.source(), r.ref(), f.commit()));
            save(known);
            boolean tag = r.ref().isPresent() && !f.commit().equals(r.commit()) && isTag(dir.resolve(name), r.ref().get());
            return new Updated(name, r.commit(), f.commit(), tag);
        } catch (IOException e) {
            throw new PluginInstalls.Failure("cannot update the marketplace " + name + ": " + e.getMessage());
        } finally {
            PluginInstalls.deleteQuietly(f.staging());
        }
    }

    /** The folder and commit of an added marketplace, for installing one of its plugins. */
    Known known(String name) {
        return list().stream().filter(k -> k.name().equals(name)).findFirst()
                .orElseThrow(() -> new PluginInstalls.Failure("no marketplace named " + name + " is added; lathe plugin marketplace add SOURCE adds it"));
    }

    Path folder(String name) { return dir.resolve(name); }

    private record Fetched(Path staging, Path folder, String commit, MarketplaceManifest manifest) {}

    private record Record(String source, Optional<String> ref, String commit) {}

    private Fetched fetch(MarketplaceSource source) {
        Path staging;
        try {
            Files.createDirectories(dir);
            staging = Files.createTempDirectory(dir, ".adding-");
        } catch (IOException e) {
            throw new PluginInstalls.Failure("cannot create " + dir + ": " + e.getMessage());
        }
        try {
            Path into = staging.resolve("marketplace");
            String commit = switch (source) {
                case MarketplaceSource.Git g -> {
                    git.clone(g.url(), g.ref(), into);
                    yield git.head(into);
                }
                case MarketplaceSource.Directory d -> {
                    PluginInstalls.copy(d.path(), into);
                    yield "tree:" + TreeHash.of(into);
                }
            };
            MarketplaceManifest manifest;
            try {
                manifest = MarketplaceManifest.read(into);
            } catch (ConfigException e) {
                throw new PluginInstalls.Failure(e.getMessage().replace(into.toString(), source.written()));
            }
            return new Fetched(staging, into, commit, manifest);
        } catch (IOException | RuntimeException e) {
            PluginInstalls.deleteQuietly(staging);
            if (e instanceof PluginInstalls.Failure f) throw f;
            throw new PluginInstalls.Failure("cannot fetch " + source.written() + ": " + e.getMessage());
        }
    }

    private boolean isTag(Path clone, String ref) {
        return Files.exists(clone.resolve(".git/refs/tags").resolve(ref), LinkOption.NOFOLLOW_LINKS)
                || readPackedRefs(clone).contains("refs/tags/" + ref);
    }

    private static String readPackedRefs(Path clone) {
        try {
            Path packed = clone.resolve(".git/packed-refs");
            return Files.isRegularFile(packed) ? Files.readString(packed, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private Map<String, Record> known() {
        Path file = dir.resolve(KNOWN);
        Map<String, Record> out = new TreeMap<>();
        if (!Files.isRegularFile(file)) return out;
        try {
            JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            for (String name : root.propertyNames()) {
                JsonNode r = root.get(name);
                out.put(name, new Record(r.path("source").asString(""), Optional.ofNullable(r.path("ref").asString(null)), r.path("commit").asString("")));
            }
        } catch (IOException | RuntimeException e) {
            throw new PluginInstalls.Failure("cannot read " + file + ": " + e.getMessage());
        }
        return out;
    }

    private void save(Map<String, Record> known) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        known.forEach((name, r) -> {
            ObjectNode o = root.putObject(name);
            o.put("source", r.source());
            r.ref().ifPresent(ref -> o.put("ref", ref));
            o.put("commit", r.commit());
        });
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".known-", ".tmp");
        Files.writeString(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
        Files.move(temp, dir.resolve(KNOWN), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
