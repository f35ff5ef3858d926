package dev.lathe.server.daemon;

import dev.lathe.core.config.ManagedFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Which administrator's policy a client's work meets (DESIGN §29, decision 552): the one the running server enforces,
 * fixed when it started from its own environment and the system folder, and written to {@code server.json}
 * ({@link ServerInfo#managed}). A client's {@link ManagedFiles#DIR_VARIABLE} never reaches a running server (it is not
 * a variable a client's environment carries), so no shell can point a server at a looser policy; a shell whose
 * variable names a folder the server does not enforce is told so, and {@code lathe doctor} reports the server's.
 */
public final class EnforcedPolicy {
    private EnforcedPolicy() {}

    /**
     * The {@code managed.json} that applies to work done here: the running server's ({@code serverManaged}, from its
     * {@code server.json}), or without one (or from a server too old to say) the one this process would read itself.
     */
    public static Path of(Map<String, String> env, Optional<String> serverManaged) {
        return serverManaged.filter(s -> !s.isBlank()).map(Path::of).orElseGet(() -> ManagedFiles.policyFile(env));
    }

    /**
     * What is wrong with using the server of pid {@code pid} that enforces {@code serverManaged} from a shell whose
     * environment is {@code env}: its {@link ManagedFiles#DIR_VARIABLE} names a policy the server does not read (a server
     * started before it was set, or from another shell). Empty when the shell names none (the server's, perhaps
     * stricter, holds) or the server's own.
     */
    public static Optional<String> mismatch(Map<String, String> env, String serverManaged, long pid) {
        if (env.getOrDefault(ManagedFiles.DIR_VARIABLE, "").isBlank()) return Optional.empty();
        Path mine = ManagedFiles.policyFile(env).toAbsolutePath().normalize();
        if (!serverManaged.isBlank() && same(mine, Path.of(serverManaged))) return Optional.empty();
        String theirs = serverManaged.isBlank() ? "a policy it does not name (it is older than this lathe)"
                : "the managed settings of " + Path.of(serverManaged).getParent();
        return Optional.of(ManagedFiles.DIR_VARIABLE + " names " + mine.getParent() + ", but the running server (pid " + pid + ") enforces " + theirs
                + ": a client never changes a running server's policy");
    }

    /** How to end a {@link #mismatch}. */
    public static String fix(Map<String, String> env) {
        Path mine = ManagedFiles.policyFile(env).toAbsolutePath().normalize();
        return "lathe stop, then the next lathe starts a server that reads " + mine.getParent() + " (or unset " + ManagedFiles.DIR_VARIABLE + ")";
    }

    /**
     * The same policy file: the same name in the same folder, the folders' links resolved (a folder named through a
     * link is that folder; the file itself need not exist, an absent policy being a policy of nothing).
     */
    private static boolean same(Path a, Path b) {
        Path left = a.toAbsolutePath().normalize();
        Path right = b.toAbsolutePath().normalize();
        if (left.equals(right)) return true;
        if (left.getParent() == null || right.getParent() == null || !left.getFileName().equals(right.getFileName())) return false;
        try {
            return left.getParent().toRealPath().equals(right.getParent().toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}
