package dev.lathe.core.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where an administrator's managed settings live (DESIGN §29): {@code managed.json} and the drop-in folder
 * {@code managed.d/*.json} beside it, read in that order (drop-ins by name), so a package or a fleet tool can add a file
 * of its own without editing another's. The folder is {@code /etc/lathe} on Linux, {@code /Library/Application
 * Support/Lathe} on macOS and {@code C:\ProgramData\Lathe} on Windows (the system-wide places;
 * {@link #DIR_VARIABLE} names another, for tests and machines without one: it is not followed where the system folder
 * holds managed settings).
 *
 * <p>The policy fails closed: {@code managed.json}, a drop-in or either folder that is a symbolic link, a file or folder
 * other users may write or that neither root nor the user running Lathe owns, or more than
 * {@link #MAX_DROP_INS} drop-ins stop every load with a {@link ConfigException} naming the file, rather than being
 * skipped (a policy that silently loses a file is looser than the administrator wrote). Each file's size and type are
 * then checked as every config file's are ({@link ConfigText}: at most 4 MiB, never a FIFO or device).
 */
public final class ManagedFiles {
    /** The variable naming the folder that holds {@code managed.json} and {@code managed.d/}. */
    public static final String DIR_VARIABLE = "LATHE_MANAGED_DIR";
    public static final Path SYSTEM_DIR = systemDir(System.getProperty("os.name", ""));
    public static final String POLICY = "managed.json";
    public static final String DROP_INS = "managed.d";
    static final int MAX_DROP_INS = 64;

    private ManagedFiles() {}

    /** Names a Claude Code managed settings file to read where the system has none (tests, a fleet's own path). */
    public static final String CLAUDE_VARIABLE = "LATHE_CLAUDE_MANAGED_FILE";
    static final Path CLAUDE_SYSTEM_FILE = claudeSystemFile(System.getProperty("os.name", ""));

    /** Where Claude Code's documentation puts an administrator's {@code managed-settings.json} on each system. */
    static Path claudeSystemFile(String os) {
        if (os.startsWith("Mac")) return Path.of("/Library/Application Support/ClaudeCode/managed-settings.json");
        if (os.startsWith("Windows")) return Path.of("C:\\ProgramData\\ClaudeCode\\managed-settings.json");
        return Path.of("/etc/claude-code/managed-settings.json");
    }

    /**
     * An administrator's Claude Code policy, which binds Lathe on the same machine too (issue 82): the system file, or
     * the one {@link #CLAUDE_VARIABLE} names when there is none. Only its restrictive rules are taken
     * ({@link ClaudePermissions#restrictive}), so whoever can name or write it can only narrow what runs.
     */
    public static Optional<Path> claudeCodePolicy(Map<String, String> env) {
        String named = env.getOrDefault(CLAUDE_VARIABLE, "").strip();
        Path file = Files.exists(CLAUDE_SYSTEM_FILE) || named.isEmpty() ? CLAUDE_SYSTEM_FILE : Path.of(named);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    static Path systemDir(String os) {
        if (os.startsWith("Mac")) return Path.of("/Library/Application Support/Lathe");
        if (os.startsWith("Windows")) return Path.of("C:\\ProgramData\\Lathe");
        return Path.of("/etc/lathe");
    }

    /**
     * The {@code managed.json} of the system folder, or of the folder {@code env} names when the system folder holds no
     * managed settings: on a machine an administrator manages, the variable cannot point Lathe at a folder with a
     * looser policy (or none).
     */
    public static Path policyFile(Map<String, String> env) {
        return policyFile(env, SYSTEM_DIR);
    }

    static Path policyFile(Map<String, String> env, Path systemDir) {
        String named = env.getOrDefault(DIR_VARIABLE, "").strip();
        boolean administered = Files.exists(systemDir.resolve(POLICY), LinkOption.NOFOLLOW_LINKS) || Files.exists(systemDir.resolve(DROP_INS), LinkOption.NOFOLLOW_LINKS);
        return (named.isEmpty() || administered ? systemDir : Path.of(named)).resolve(POLICY);
    }

    /**
     * {@code policyFile}, then the {@code .json} files of the {@code managed.d} folder beside it in name order: every
     * managed file that may exist (the policy file is listed whether or not it does).
     *
     * @throws ConfigException naming the file that makes the policy unsafe to read
     */
    public static List<Path> all(Path policyFile) {
        List<Path> out = new ArrayList<>();
        out.add(policyFile);
        Path dir = policyFile.toAbsolutePath().getParent();
        if (dir == null) return out;
        Path dropIns = dir.resolve(DROP_INS);
        boolean policy = Files.exists(policyFile, LinkOption.NOFOLLOW_LINKS);
        // the folder too: whoever may write it may replace managed.json or add a drop-in (issue 79)
        if (policy || Files.exists(dropIns, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isSymbolicLink(dir)) throw unsafe(dir, "a symbolic link; the managed settings folder must be a real folder");
            notWritableByOthers(dir);
        }
        if (policy) {
            // a link could lead to a file anyone may edit, or to one that is gone (a policy quietly lost): refused
            if (Files.isSymbolicLink(policyFile)) throw unsafe(policyFile, "a symbolic link; " + POLICY + " must be a regular file");
            notWritableByOthers(policyFile);
        }
        if (Files.isSymbolicLink(dropIns)) throw unsafe(dropIns, "a symbolic link; the drop-in folder must be a real folder");
        if (!Files.isDirectory(dropIns, LinkOption.NOFOLLOW_LINKS)) return out;
        notWritableByOthers(dropIns);
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dropIns, "*.json")) {
            for (Path entry : entries) {
                if (entry.getFileName().toString().startsWith(".")) continue; // an editor's or a tool's hidden temporary file
                if (found.size() == MAX_DROP_INS) throw unsafe(dropIns, "more than " + MAX_DROP_INS + " drop-in files");
                found.add(entry);
            }
        } catch (IOException e) {
            throw unsafe(dropIns, "cannot list: " + e.getMessage());
        }
        found.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
        for (Path entry : found) {
            // a link could lead to a file anyone may edit, or to one that is gone (a policy quietly lost): refused
            if (Files.isSymbolicLink(entry)) throw unsafe(entry, "a symbolic link; a managed drop-in must be a regular file");
            if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) throw unsafe(entry, "not a regular file");
            notWritableByOthers(entry);
            out.add(entry);
        }
        return out;
    }

    /**
     * The files a watcher follows for a change of the policy: {@link #all}'s, or when the policy is unsafe to read, the
     * policy file and every drop-in found (so fixing the problem is seen as a change); then the drop-in folder, whose
     * listing changes when a drop-in is added; never throws.
     */
    public static List<Path> watched(Path policyFile) {
        Path parent = policyFile.toAbsolutePath().getParent();
        // the drop-in folder itself too: a file added to it while a project is open is a change of the policy
        List<Path> folder = parent == null ? List.of() : List.of(parent.resolve(DROP_INS));
        try {
            List<Path> out = new ArrayList<>(all(policyFile));
            out.addAll(folder);
            return out;
        } catch (ConfigException e) {
            List<Path> out = new ArrayList<>(List.of(policyFile));
            out.addAll(folder);
            if (parent == null) return out;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent.resolve(DROP_INS), "*.json")) {
                entries.forEach(out::add);
            } catch (IOException ignored) {
                // no folder to list: the policy file alone
            }
            return out;
        }
    }

    /**
     * A file or folder of the policy that another user could change would let them loosen it (or, through the keys
     * any layer may set, run their code as whoever starts Lathe): it must be owned by root or by the user running
     * Lathe, and writable by its owner only. Read without following a link: a link's own owner is not its target's.
     */
    private static void notWritableByOthers(Path path) {
        Set<PosixFilePermission> permissions;
        String owner;
        try {
            permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (UnsupportedOperationException e) {
            return; // Windows: the ACLs of C:\ProgramData are the administrator's to set
        } catch (IOException e) {
            throw unsafe(path, "cannot read its permissions: " + e.getMessage());
        }
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw unsafe(path, "writable by other users, who could loosen the policy; make it writable by its owner only (chmod go-w)");
        }
        String self = System.getProperty("user.name", "");
        if (!owner.equals("root") && !owner.equals(self)) {
            throw unsafe(path, "owned by " + owner + ", neither root nor " + self + ", so " + owner + " could loosen the policy; chown root");
        }
    }

    private static ConfigException unsafe(Path path, String problem) {
        return new ConfigException(path.toString(), 0, "", "managed settings not read (" + problem + "): Lathe does not start without them");
    }
}
