package dev.lathe.app.release;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code lathe uninstall} removes (issue 82, as OpenCode's {@code uninstall}): what Lathe's own installers put on
 * the machine for this copy — install.sh's {@code PREFIX/lib/lathe} and its {@code PREFIX/bin/lathe} link, the npm
 * launcher's jar copies in the cache — and Lathe's cache; on request its data and state ({@code --data}: sessions,
 * keys, audit log, logs) and the user's configuration ({@code --config}). What another tool installed (npm's package,
 * an image, a checkout) is named with the command that removes it, never removed here.
 */
public final class Uninstall {
    /** One folder or file to remove and what it is, in words. */
    public record Item(Path path, String what) {}

    /** What to remove and what to tell the user besides. */
    public record Plan(List<Item> items, List<String> notes) {
        public Plan {
            items = List.copyOf(items);
            notes = List.copyOf(notes);
        }
    }

    /** Which of the user's own folders go too. */
    public record Scope(boolean data, boolean config) {}

    private Uninstall() {}

    /** The plan for {@code installation} under {@code env}'s folders (HOME and the XDG variables), only what exists. */
    public static Plan of(Installation installation, Map<String, String> env, Scope scope) {
        List<Item> items = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        switch (installation) {
            case Installation.Script s -> {
                Path lib = s.prefix().resolve("lib").resolve("lathe");
                items.add(new Item(lib, "the installed releases (install.sh)"));
                Path link = s.prefix().resolve("bin").resolve("lathe");
                // only install.sh's own link into lib/lathe: a bin/lathe it did not make is someone else's
                if (linksInto(link, lib)) items.add(new Item(link, "the lathe command (a link into " + lib + ")"));
            }
            case Installation.Npm n -> notes.add("the npm package itself is npm's to remove: npm uninstall -g lathe-agent (from " + n.home() + ")");
            case Installation.Image i -> notes.add("this is the container image: remove the image itself with your container tool");
            case Installation.Checkout c -> notes.add("this is a checkout (" + c.root() + "): nothing was installed; delete the folder yourself if you want it gone");
            case Installation.Unpacked u -> notes.add("this release was unpacked by hand at " + u.home() + ": delete that folder yourself");
            case Installation.Jar j -> notes.add("this is a jar run with java -jar: nothing was installed");
        }
        items.add(new Item(xdg(env, "XDG_CACHE_HOME", ".cache"), "Lathe's cache (the npm launcher's jar copies, downloads)"));
        if (scope.data()) {
            items.add(new Item(xdg(env, "XDG_DATA_HOME", ".local/share"), "your data: sessions, saved keys, trusted folders, the audit log"));
            items.add(new Item(xdg(env, "XDG_STATE_HOME", ".local/state"), "logs and the running server's file"));
        } else {
            notes.add("your sessions, keys and audit log stay in " + xdg(env, "XDG_DATA_HOME", ".local/share") + " (--data removes them)");
        }
        if (scope.config()) items.add(new Item(xdg(env, "XDG_CONFIG_HOME", ".config"), "your configuration"));
        else notes.add("your configuration stays in " + xdg(env, "XDG_CONFIG_HOME", ".config") + " (--config removes it)");
        return new Plan(items.stream().filter(i -> Files.exists(i.path(), LinkOption.NOFOLLOW_LINKS)).toList(), notes);
    }

    /** {@code HOME/fallback/lathe}, or {@code $VARIABLE/lathe} when the variable is an absolute path (the XDG rule). */
    static Path xdg(Map<String, String> env, String variable, String fallback) {
        String value = env.getOrDefault(variable, "");
        Path base = !value.isBlank() && Path.of(value).isAbsolute() ? Path.of(value)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home"))).resolve(fallback);
        return base.resolve("lathe");
    }

    private static boolean linksInto(Path link, Path folder) {
        if (!Files.isSymbolicLink(link)) return false;
        try {
            Path target = Files.readSymbolicLink(link);
            return link.getParent().resolve(target).normalize().startsWith(folder.normalize());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes {@code path}: a link as a link (never what it points to), a folder with what is in it, walking no link
     * out of it. Returns what could not be removed, in words; empty when all went.
     */
    public static Optional<String> remove(Path path) {
        try {
            if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(path);
                return Optional.empty();
            }
            // walkFileTree follows no link by default: a link inside is deleted as an entry, its target untouched
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) throw e;
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(path + ": " + e.getMessage());
        }
    }
}
