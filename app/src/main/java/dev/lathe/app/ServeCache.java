package dev.lathe.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The server's JDK AOT cache, {@code lathe-serve.aot}, which the package step records beside the other caches
 * ({@code AotTraining}). A daemon that a client starts uses it, as {@code bin/lathe serve} does. The client must run
 * from a cache in that folder, and the server's cache must be at least as new as the client's. Both come from the same
 * training, so an older one is left from an earlier build, and a stale cache would run old classes.
 */
final class ServeCache {
    static final String FILE = "lathe-serve.aot";
    private static final String OPTION = "-XX:AOTCache=";

    private ServeCache() {}

    /** @param jvmOptions this process's JVM options (the last {@code -XX:AOTCache} wins, as in the JVM) */
    static Optional<Path> beside(List<String> jvmOptions) {
        for (String option : jvmOptions.reversed()) {
            if (!option.startsWith(OPTION)) continue;
            Path own = Path.of(option.substring(OPTION.length()));
            Path serve = own.resolveSibling(FILE);
            try {
                boolean fresh = Files.isRegularFile(serve) && Files.getLastModifiedTime(serve).compareTo(Files.getLastModifiedTime(own)) >= 0;
                return fresh ? Optional.of(serve) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty(); // the daemon starts with the inherited cache, or none
            }
        }
        return Optional.empty();
    }
}
