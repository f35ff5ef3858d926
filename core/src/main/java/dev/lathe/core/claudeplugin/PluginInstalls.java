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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Claude Code plugins installed in the data folder ({@code lathe plugin add|list|remove}): one folder per plugin,
 * named as the plugin, under {@code dir}. The folder is the record: nothing else lists what is installed, so removing
 * a folder by hand uninstalls it too. A plugin is checked completely ({@link ClaudePlugins#read}) before it is put in
 * place, so a broken one is refused with its file, line and key and never half-installed.
 */
public final class PluginInstalls {
    /** How long a {@code git clone} may take. */
    private static final long CLONE_SECONDS = 300;

    private final Path dir;
    private final Map<String, String> env;

    /** @param env the environment for {@code git} and for checking the plugins' MCP files */
    public PluginInstalls(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
    }

    /** The installing went wrong; the message is for the user. */
    public static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    /** One installed plugin: its folder, and the plugin read from it or why it cannot be read. */
    public record Installed(String folder, Path path, Optional<ClaudePlugin> plugin, Optional<String> problem, Optional<String> origin) {}

    /**
     * Installs the plugin at {@code source}: a folder (copied) or a git URL ({@code https://…}, {@code ssh://…},
     * {@code git@host:…}, {@code file://…}; cloned, which needs the network for a remote one).
     *
     * @return the plugin as installed
     * @throws Failure when it is not a plugin, is broken (file, line and key), is installed already, or cannot be fetched
     */
    public ClaudePlugin add(String source) {
        try {
            Files.createDirectories(dir);
            Path staging = Files.createTempDirectory(dir, ".adding-");
            try {
                Path fetched = staging.resolve("plugin");
                if (isGitUrl(source)) clone(source, fetched);
                else copy(folder(source), fetched);
                ClaudePlugin checked;
                try {
                    checked = ClaudePlugins.read(fetched, env);
                } catch (ConfigException e) {
                    throw new Failure(e.getMessage().replace(fetched.toString(), source));
                }
                Path target = dir.resolve(checked.name());
                if (Files.exists(target)) {
                    throw new Failure("a plugin named '" + checked.name() + "' is installed already (" + target + "); run lathe plugin remove "
                            + checked.name() + " first");
                }
                Files.move(fetched, target, StandardCopyOption.ATOMIC_MOVE);
                return ClaudePlugins.read(target, env);
            } finally {
                delete(staging);
            }
        } catch (IOException e) {
            throw new Failure("cannot install " + source + ": " + e.getMessage());
        }
    }

    /** The installed plugins, by folder name. */
    public List<Installed> list() {
        List<Installed> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                Optional<String> origin = origin(p);
                try {
                    out.add(new Installed(p.getFileName().toString(), p, Optional.of(ClaudePlugins.read(p, env)), Optional.empty(), origin));
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

    private void clone(String url, Path into) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("git", "clone", "--quiet", "--depth", "1", "--", url, into.toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0"); // a private repository must not wait for a password nobody types
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new Failure("cannot run git to clone " + url + ": " + e.getMessage());
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!process.waitFor(CLONE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new Failure("git clone " + url + " took longer than " + CLONE_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while cloning " + url);
        }
        if (process.exitValue() != 0) throw new Failure("git clone " + url + " failed: " + output);
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
    private static void copy(Path from, Path to) throws IOException {
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

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
