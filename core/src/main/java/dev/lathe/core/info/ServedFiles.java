package dev.lathe.core.info;

import dev.lathe.core.permission.PrivatePaths;
import dev.lathe.protocol.api.LatheException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * What the file routes ({@code GET /files}, {@code /files/content}, {@code /find/files}, {@code /find/text}) may serve
 * (issue 40, item 4): a folder that is a project of this server ({@code known}: a session was opened there, or the
 * user trusted it or answered the trust question for it) and the paths inside it, never the file system root and never anything in
 * {@link PrivatePaths} (the kernel's {@code /proc}, {@code /sys}, {@code /dev}; Lathe's data, state and config folders)
 * even when a project holds it: {@code /proc/self/environ} is the server's environment, its provider keys.
 */
final class ServedFiles {
    private final Predicate<Path> known;
    private final PrivatePaths privatePaths;

    ServedFiles(Predicate<Path> known, PrivatePaths privatePaths) {
        this.known = known;
        this.privatePaths = privatePaths;
    }

    /** {@code root} (absolute, real) when it may be served. @throws LatheException.Forbidden when it may not, saying why */
    Path folder(Path root) {
        if (PrivatePaths.holdsKernel(root)) throw new LatheException.Forbidden("the file system root is not served as a project folder");
        privatePaths.why(root).ifPresent(why -> {
            throw new LatheException.Forbidden("this folder is never served: " + why);
        });
        if (!known.test(root)) {
            throw new LatheException.Forbidden(root + " is not a project of this server: open it first (create a session there, or open it in a client)");
        }
        return root;
    }

    /** @throws LatheException.Forbidden when {@code path} (inside a served folder) really is in a private folder */
    void check(Path path) {
        if (isPrivate(path)) throw new LatheException.Forbidden("this path is never served: it is in a folder of Lathe's or the kernel's own");
    }

    /** Whether {@code path}, links resolved, is in a private folder (a missing path by its lexical form). */
    boolean isPrivate(Path path) {
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            real = path.toAbsolutePath().normalize();
        }
        return privatePaths.why(real).isPresent() || privatePaths.why(path.toAbsolutePath().normalize()).isPresent();
    }
}
