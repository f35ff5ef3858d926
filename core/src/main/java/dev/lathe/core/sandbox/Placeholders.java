package dev.lathe.core.sandbox;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Empty placeholders for guarded paths that do not exist (of {@link SandboxLayout#inWritableFolders}): created on the host before a
 * sandboxed command starts, so bubblewrap binds them read-only like any existing guarded path and the command cannot
 * create {@code .git/hooks} or {@code lathe.json} itself. Bubblewrap would create a missing mount point on its own, but
 * inside a writable bind that lands in the user's folder and stays there; here every placeholder has an owner.
 *
 * <p>A placeholder is shared by every sandboxed command of this process that needs it (counted) and removed when the
 * last one ends, if it is still empty — never earlier: deleting a mount point on the host detaches it in every
 * sandbox still using it, which could then create the path. Placeholders inside a {@code .git} folder stay (an empty
 * {@code hooks} folder and an empty {@code config} are what {@code git init} itself leaves; git reads them as "no
 * hooks", "no settings"), so git's own files never go unguarded between two commands of two Lathe processes; so does
 * the project's {@code .lathe}, Lathe's own folder (the one work-tree placeholder: the others are moved aside when
 * created, {@link SandboxLayout#createdAfterwards}).
 */
final class Placeholders {
    private static final System.Logger LOG = System.getLogger(Placeholders.class.getName());

    /** The placeholders this process made and has not removed, with how many running commands use each. Guarded by the class. */
    private static final Map<Path, Integer> USERS = new HashMap<>();

    private Placeholders() {}

    /** The placeholders one command holds; {@link #release} once when it has ended (again is a no-op). */
    static final class Lease {
        private final List<Path> paths;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(List<Path> paths) {
            this.paths = List.copyOf(paths);
        }

        void release() {
            if (released.compareAndSet(false, true)) Placeholders.release(paths);
        }
    }

    /**
     * Joins the placeholder of each of {@code guarded} this process holds, and creates one for each that does not exist;
     * one that exists (the user's own) or cannot be created is left alone. Call it before the layout's arguments are
     * made: a path held here exists, so the layout binds it read-only.
     */
    static Lease take(List<SandboxLayout.Guarded> guarded) {
        List<Path> held = new ArrayList<>();
        synchronized (Placeholders.class) {
            for (SandboxLayout.Guarded g : guarded) {
                Path p = g.path();
                boolean ours = USERS.containsKey(p);
                if (!ours && SandboxLauncher.exists(p)) continue;
                try {
                    // one of ours is made again if it was deleted meanwhile (by hand, on the host)
                    if (!SandboxLauncher.exists(p)) create(g);
                } catch (FileAlreadyExistsException e) {
                    // made meanwhile by someone else: it exists, so the layout binds it read-only as it is
                    if (!ours) continue;
                } catch (IOException e) {
                    // the user cannot create it here, so neither can a sandboxed command running as the user
                    LOG.log(Level.DEBUG, "no sandbox placeholder for {0}: {1}", p, e.toString());
                    if (!ours) continue;
                }
                USERS.merge(p, 1, Integer::sum);
                held.add(p);
            }
        }
        return new Lease(held);
    }

    private static void create(SandboxLayout.Guarded g) throws IOException {
        switch (g.placeholder()) {
            case FOLDER -> Files.createDirectory(g.path());
            case FILE -> Files.createFile(g.path());
            case MOVED_ASIDE -> throw new IOException("no placeholder is made for " + g.path());
        }
    }

    private static synchronized void release(List<Path> paths) {
        for (Path p : paths) {
            int left = USERS.merge(p, -1, Integer::sum);
            if (left > 0) continue;
            USERS.remove(p);
            if (!insideGit(p) && !p.getFileName().toString().equals(SandboxLayout.LATHE_FOLDER)) removeIfEmpty(p);
        }
    }

    /** Removes {@code p} when it is still an empty folder or an empty regular file (the user may have filled it since). */
    private static void removeIfEmpty(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            boolean empty;
            if (a.isDirectory()) {
                try (var entries = Files.list(p)) {
                    empty = entries.findAny().isEmpty();
                }
            } else {
                empty = a.isRegularFile() && a.size() == 0;
            }
            if (empty) Files.delete(p);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "sandbox placeholder {0} not removed: {1}", p, e.toString());
        }
    }

    private static boolean insideGit(Path p) {
        for (Path part : p) if (part.toString().equals(".git")) return true;
        return false;
    }

    /** Whether this process made {@code p} and a running command still uses it. */
    static synchronized boolean holds(Path p) {
        return USERS.containsKey(p);
    }
}
