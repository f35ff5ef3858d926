package dev.lathe.core.permission;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the server's own secrets are, which no file route serves and no project file brings into a prompt, whatever
 * folder a client names as its project and whatever link leads there (issue 40): the kernel's views of processes,
 * devices and the system ({@code /proc}, {@code /sys}, {@code /dev}: {@code /proc/self/environ} holds the provider
 * keys of the server's environment) and Lathe's own folders (data: the database, {@code auth.json}, the audit key;
 * state; config). Paths are compared by components after links are resolved: callers pass real paths.
 */
public final class PrivatePaths {
    /** The kernel's pseudo file systems. */
    public static final List<Path> KERNEL = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

    private final List<Path> lathe;

    /** @param latheFolders Lathe's data, state and config folders (absolute; their real paths are added when they exist) */
    public PrivatePaths(List<Path> latheFolders) {
        List<Path> all = new ArrayList<>();
        for (Path p : latheFolders) {
            Path abs = p.toAbsolutePath().normalize();
            all.add(abs);
            try {
                Path real = abs.toRealPath();
                if (!real.equals(abs)) all.add(real);
            } catch (IOException e) {
                // not created yet: its lexical form is what a link would name
            }
        }
        this.lathe = List.copyOf(all);
    }

    /** Why {@code real} (a real path) is never served or included, or empty when it is an ordinary path. */
    public Optional<String> why(Path real) {
        for (Path k : KERNEL) if (real.startsWith(k)) return Optional.of(k + " is the kernel's view of the server's processes and devices");
        for (Path l : lathe) if (real.startsWith(l)) return Optional.of(real + " is in Lathe's own folder " + l);
        return Optional.empty();
    }

    /** Why {@code real} is never served, counting only the kernel's folders (for files the user's own config names). */
    public static Optional<String> kernel(Path real) {
        for (Path k : KERNEL) if (real.startsWith(k)) return Optional.of(k + " is the kernel's view of the server's processes and devices");
        return Optional.empty();
    }

    /** Whether {@code folder} (real) holds a kernel folder below it: only {@code /} does. */
    public static boolean holdsKernel(Path folder) {
        for (Path k : KERNEL) if (k.startsWith(folder) && !k.equals(folder)) return true;
        return false;
    }
}
