package dev.lathe.core.claudeplugin;

import dev.lathe.core.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The installed plugins that may start, checked against {@code lathe-plugins.lock} each time a project reads its
 * plugins (DESIGN §33): one whose files no longer hash to its entry, or that has none, is left out with the reason.
 * Hashing every file at every read would cost a large plugin's read each prompt, so a plugin's verdict is kept while
 * its files' names, sizes, modification and change times and its lock entry stay as they were (a change to any of
 * them hashes afresh; the change time cannot be set back, so a rewrite that restores the modification time is seen).
 */
public final class LockedPlugins {
    private final Path pluginsDir;
    private final Map<Path, Verdict> verdicts = new ConcurrentHashMap<>();

    public LockedPlugins(Path pluginsDir) {
        this.pluginsDir = pluginsDir;
    }

    /** A plugin left out: its folder's name and why. */
    public record Refused(String name, String why) {}

    /** The plugin folders that may start, and those left out. */
    public record Checked(List<Path> allowed, List<Refused> refused) {
        public Checked {
            allowed = List.copyOf(allowed);
            refused = List.copyOf(refused);
        }
    }

    private record Verdict(String stamp, Optional<String> refusal) {}

    public Checked check() {
        List<Path> installed = ClaudePlugins.installed(pluginsDir);
        if (installed.isEmpty()) return new Checked(List.of(), List.of());
        PluginLock lock;
        try {
            lock = PluginLock.read(PluginInstalls.lockFile(pluginsDir));
        } catch (ConfigException e) {
            return new Checked(List.of(), installed.stream().map(p -> new Refused(p.getFileName().toString(), "not started: " + e.getMessage())).toList());
        }
        List<Path> allowed = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        for (Path folder : installed) {
            String name = folder.getFileName().toString();
            String stamp = lock.entry(name).map(PluginLock.Entry::tree).orElse("-") + "\n" + fingerprint(folder);
            Verdict v = verdicts.get(folder);
            if (v == null || !v.stamp().equals(stamp)) {
                v = new Verdict(stamp, lock.refusal(name, folder));
                verdicts.put(folder, v);
            }
            v.refusal().ifPresentOrElse(why -> refused.add(new Refused(name, why)), () -> allowed.add(folder));
        }
        return new Checked(allowed, refused);
    }

    /** The inode's change time where the system has one, which no one can set back. */
    private static Object changed(Path p) throws IOException {
        try {
            return Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return "-";
        }
    }

    /** Every entry's path, kind, size and modification time: what a change to the plugin's files changes. */
    private static String fingerprint(Path folder) {
        var out = new StringBuilder();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted().toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                out.append(folder.relativize(p)).append(' ').append(a.isSymbolicLink() ? "l" : a.isDirectory() ? "d" : "f").append(' ')
                        .append(a.size()).append(' ').append(a.lastModifiedTime().toMillis()).append(' ').append(changed(p)).append(' ')
                        .append(a.isRegularFile() && Files.isExecutable(p) ? "x" : "-").append('\n');
            }
        } catch (IOException | UncheckedIOException e) {
            return "unreadable " + System.nanoTime(); // never equal: hashed afresh, which says what cannot be read
        }
        return out.toString();
    }
}
