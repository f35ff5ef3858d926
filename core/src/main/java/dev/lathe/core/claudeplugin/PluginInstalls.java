package dev.lathe.core.claudeplugin;

import dev.lathe.core.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Claude Code plugins installed in the data folder ({@code lathe plugin add|install|list|update|remove}): one
 * folder per plugin, named as the plugin, under {@code dir}, and {@code lathe-plugins.lock} beside it (DESIGN §33):
 * what each was installed from, at which commit, the hash of its files and the exact package each of its commands
 * launches. A plugin is checked completely ({@link ClaudePlugins#read}) and its launches pinned ({@link LaunchPins})
 * before it is put in place, so a broken or unpinnable one is refused with the reason and never half-installed; a
 * plugin whose files no longer hash to its lock entry is not started ({@link PluginLock#refusal}).
 */
public final class PluginInstalls {
    private final Path dir;
    private final Map<String, String> env;
    private final NpmRegistry registry;
    private final Marketplaces marketplaces;
    private final GitFetch git;

    /** @param env the environment for {@code git}, {@code npm} and for checking the plugins' MCP files */
    public PluginInstalls(Path dir, Map<String, String> env) {
        this(dir, env, NpmRegistry.npm(env), new Marketplaces(dir.resolveSibling(MARKETPLACES), env, MarketplacePolicy.of(env)));
    }

    public PluginInstalls(Path dir, Map<String, String> env, NpmRegistry registry, Marketplaces marketplaces) {
        this.dir = dir;
        this.env = env;
        this.registry = registry;
        this.marketplaces = marketplaces;
        this.git = new GitFetch(env);
    }

    /** The folder beside the plugins' where marketplaces are fetched. */
    public static final String MARKETPLACES = "plugin-marketplaces";

    /** The installing went wrong; the message is for the user. */
    public static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    /**
     * One installed plugin: its folder, and the plugin read from it or why it cannot be read or may not run (its files
     * changed since its lock entry); {@code origin} is what it was installed from.
     */
    public record Installed(String folder, Path path, Optional<ClaudePlugin> plugin, Optional<String> problem, Optional<String> origin) {}

    /** What {@link #update} changed: the lock entry before (none when the plugin was not locked), after, and the files that differ. */
    public record Update(String name, Optional<PluginLock.Entry> before, PluginLock.Entry after, List<String> changedFiles) {}

    public Marketplaces marketplaces() { return marketplaces; }

    /** Where the lock of the plugins under {@code pluginsDir} is. */
    public static Path lockFile(Path pluginsDir) {
        return pluginsDir.resolveSibling(PluginLock.FILE);
    }

    /**
     * Installs the plugin at {@code source}: a folder (copied) or a git URL ({@code https://…}, {@code ssh://…},
     * {@code git@host:…}, {@code file://…}; cloned, which needs the network for a remote one).
     *
     * @return the plugin as installed
     * @throws Failure when it is not a plugin, is broken (file, line and key), is installed already, or cannot be fetched or pinned
     */
    public ClaudePlugin add(String source) {
        Path staging = staging();
        try {
            Path fetched = staging.resolve("plugin");
            Optional<String> commit = Optional.empty();
            if (isGitUrl(source)) {
                git.clone(source, Optional.empty(), fetched);
                commit = Optional.of(git.head(fetched));
            } else {
                copy(folder(source), fetched);
            }
            return place(fetched, source, Optional.empty(), commit, Optional.empty(), false);
        } catch (IOException e) {
            throw new Failure("cannot install " + source + ": " + e.getMessage());
        } finally {
            deleteQuietly(staging);
        }
    }

    /**
     * Installs {@code NAME@MARKETPLACE} from an added marketplace, as its entry says: a folder of the marketplace, or a
     * git repository at its ref and commit.
     */
    public ClaudePlugin install(String nameAtMarketplace) {
        int at = nameAtMarketplace.lastIndexOf('@');
        if (at <= 0 || at == nameAtMarketplace.length() - 1) throw new Failure(nameAtMarketplace + ": expected NAME@MARKETPLACE (lathe plugin marketplace list shows them)");
        return fromMarketplace(nameAtMarketplace.substring(0, at), nameAtMarketplace.substring(at + 1), false);
    }

    private ClaudePlugin fromMarketplace(String name, String market, boolean replace) {
        Marketplaces.Known known = marketplaces.known(market);
        MarketplaceManifest manifest = known.manifest().orElseThrow(() -> new Failure("the marketplace " + market + " cannot be read: " + known.problem().orElse("")));
        MarketplaceManifest.Entry entry = manifest.entry(name)
                .orElseThrow(() -> new Failure("the marketplace " + market + " has no plugin named " + name + "; it has: "
                        + String.join(", ", manifest.plugins().stream().map(MarketplaceManifest.Entry::name).toList())));
        Path staging = staging();
        try {
            Path fetched = staging.resolve("plugin");
            String commit = known.commit();
            switch (entry.source()) {
                case MarketplaceManifest.PluginSource.InMarketplace in -> {
                    Path root = marketplaces.folder(market).toRealPath();
                    Path from = root.resolve(in.path()).normalize();
                    // a link inside the marketplace must not lead the copy out of it
                    if (!Files.isDirectory(from) || !from.toRealPath().startsWith(root)) {
                        throw new Failure("the marketplace " + market + " names ./" + in.path() + " for " + name + ", which is not a folder inside it");
                    }
                    copy(from, fetched);
                }
                case MarketplaceManifest.PluginSource.Git g -> {
                    git.clone(g.url(), g.ref(), fetched);
                    if (g.sha().isPresent()) git.checkout(fetched, g.sha().get());
                    commit = git.head(fetched);
                    if (g.sha().isPresent() && !commit.equals(g.sha().get())) throw new Failure(g.url() + " is at " + commit + ", not the " + g.sha().get() + " the marketplace names");
                }
                case MarketplaceManifest.PluginSource.Unsupported u -> throw new Failure("the marketplace " + market + " gives " + name + " a '" + u.kind()
                        + "' source, which Lathe does not install; Claude Code can");
            }
            return place(fetched, name + "@" + market, Optional.of(market), Optional.of(commit), Optional.of(name), replace);
        } catch (IOException e) {
            throw new Failure("cannot install " + name + "@" + market + ": " + e.getMessage());
        } finally {
            deleteQuietly(staging);
        }
    }

    /**
     * Checks, pins and locks the plugin fetched into {@code fetched}, then moves it into place (replacing the installed
     * one when {@code replace}).
     */
    private ClaudePlugin place(Path fetched, String source, Optional<String> marketplace, Optional<String> commit, Optional<String> expected, boolean replace)
            throws IOException {
        ClaudePlugin checked;
        try {
            checked = ClaudePlugins.read(fetched, env);
        } catch (ConfigException e) {
            throw new Failure(e.getMessage().replace(fetched.toString(), source));
        }
        if (expected.isPresent() && !expected.get().equals(checked.name())) {
            throw new Failure(source + ": its plugin.json names it '" + checked.name() + "', not '" + expected.get() + "'");
        }
        List<PluginLock.Pinned> pins = LaunchPins.pin(fetched, env, registry);
        String tree = TreeHash.of(fetched);
        Path target = dir.resolve(checked.name());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !replace) {
            throw new Failure("a plugin named '" + checked.name() + "' is installed already (" + target + "); lathe plugin update " + checked.name()
                    + " updates it, lathe plugin remove " + checked.name() + " removes it");
        }
        Path lockFile = lockFile(dir);
        PluginLock lock = readLock(lockFile);
        Path old = dir.resolve(".old-" + checked.name());
        if (replace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            delete(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(fetched, target, StandardCopyOption.ATOMIC_MOVE);
        delete(old);
        lock.with(checked.name(), new PluginLock.Entry(source, marketplace, commit, tree, pins)).write(lockFile);
        return ClaudePlugins.read(target, env);
    }

    /**
     * Takes what the plugin's source holds now (a marketplace's plugin: after fetching the marketplace again), or, for
     * a plugin not in the lock, locks its files as they are; the only way a lock entry moves.
     */
    public Update update(String name) {
        Path target = dir.resolve(name);
        if (!PluginManifest.NAME.matcher(name).matches() || !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new Failure("no plugin named " + name + " is installed (lathe plugin list shows them)");
        }
        Path lockFile = lockFile(dir);
        Optional<PluginLock.Entry> before = readLock(lockFile).entry(name);
        var filesBefore = TreeHash.files(target);
        try {
            if (before.isEmpty()) {
                List<PluginLock.Pinned> pins = LaunchPins.pin(target, env, registry);
                var entry = new PluginLock.Entry(target.toString(), Optional.empty(), Optional.empty(), TreeHash.of(target), pins);
                readLock(lockFile).with(name, entry).write(lockFile);
                return new Update(name, before, entry, TreeHash.differences(filesBefore, TreeHash.files(target)));
            }
            PluginLock.Entry was = before.get();
            if (was.marketplace().isPresent()) {
                marketplaces.update(was.marketplace().get());
                fromMarketplace(name, was.marketplace().get(), true);
            } else {
                Path staging = staging();
                try {
                    Path fetched = staging.resolve("plugin");
                    Optional<String> commit = Optional.empty();
                    if (isGitUrl(was.source())) {
                        git.clone(was.source(), Optional.empty(), fetched);
                        commit = Optional.of(git.head(fetched));
                    } else {
                        copy(folder(was.source()), fetched);
                    }
                    place(fetched, was.source(), Optional.empty(), commit, Optional.of(name), true);
                } finally {
                    deleteQuietly(staging);
                }
            }
            PluginLock.Entry after = readLock(lockFile).entry(name).orElseThrow();
            return new Update(name, before, after, TreeHash.differences(filesBefore, TreeHash.files(target)));
        } catch (IOException e) {
            throw new Failure("cannot update " + name + ": " + e.getMessage());
        }
    }

    private static PluginLock readLock(Path lockFile) {
        try {
            return PluginLock.read(lockFile);
        } catch (ConfigException e) {
            throw new Failure(e.getMessage());
        }
    }

    private Path staging() {
        try {
            Files.createDirectories(dir);
            return Files.createTempDirectory(dir, ".adding-");
        } catch (IOException e) {
            throw new Failure("cannot create " + dir + ": " + e.getMessage());
        }
    }

    /** The installed plugins, by folder name. */
    public List<Installed> list() {
        List<Installed> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        PluginLock lock = readLock(lockFile(dir));
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                String name = p.getFileName().toString();
                Optional<String> origin = lock.entry(name).map(PluginLock.Entry::source).or(() -> origin(p));
                try {
                    out.add(new Installed(name, p, Optional.of(ClaudePlugins.read(p, env)), lock.refusal(name, p), origin));
                } catch (ConfigException e) {
                    out.add(new Installed(p.getFileName().toString(), p, Optional.empty(), Optional.of(e.getMessage()), origin));
                }
            }
        } catch (IOException e) {
            throw new Failure("cannot list " + dir + ": " + e.getMessage());
        }
        return out;
    }

    /** Removes the plugin installed as {@code name}; @return whether there was one */
    public boolean remove(String name) {
        if (!PluginManifest.NAME.matcher(name).matches()) return false;
        Path target = dir.resolve(name);
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) return false;
        try {
            delete(target);
            Path lockFile = lockFile(dir);
            PluginLock lock = readLock(lockFile);
            if (lock.entry(name).isPresent()) lock.without(name).write(lockFile);
        } catch (IOException e) {
            throw new Failure("cannot remove " + target + ": " + e.getMessage());
        }
        return true;
    }

    static boolean isGitUrl(String source) {
        return source.matches("(?i)(https?|ssh|git|file)://.+") || source.matches("[\\w.-]+@[\\w.-]+:.+");
    }

    private static Path folder(String source) {
        Path p = Path.of(source).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) throw new Failure(source + ": no such folder (give a plugin folder or a git URL)");
        return p;
    }

    /** The URL a cloned plugin came from, when it has one. */
    private static Optional<String> origin(Path plugin) {
        Path config = plugin.resolve(".git/config");
        if (!Files.isRegularFile(config)) return Optional.empty();
        try {
            boolean inOrigin = false;
            for (String line : Files.readAllLines(config, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.startsWith("[")) inOrigin = l.equals("[remote \"origin\"]");
                else if (inOrigin && l.startsWith("url")) return Optional.of(l.substring(l.indexOf('=') + 1).strip());
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Copies the folder {@code from} to {@code to} (links copied as links, never followed out of the plugin). */
    static void copy(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes {@code root} if it is there, leaving a failure to the next attempt (a staging folder). */
    static void deleteQuietly(Path root) {
        try {
            delete(root);
        } catch (IOException e) {
            System.getLogger(PluginInstalls.class.getName()).log(System.Logger.Level.WARNING, "cannot delete " + root + ": " + e.getMessage());
        }
    }

    static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
