package dev.lathe.core.trust;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The SHA-256 of what trust pins: one file's bytes (links followed: what runs is the target, wherever it is), or a
 * folder's whole tree (a Claude Code plugin's: its manifest, hooks, MCP servers and scripts). The one place trust
 * hashes files, so a pin taken at trust time and the check before a run ({@link RunPin}) cannot hash differently.
 */
final class FileDigest {
    /** Files of a folder whose bytes are hashed at most; those past it are pinned by name, size and time. */
    static final int MAX_FOLDER_FILES = 2_000;
    /** Entries of a folder looked at, at most: a folder past it cannot be pinned, so it never matches (fail closed). */
    static final int MAX_FOLDER_ENTRIES = 50_000;

    private FileDigest() {}

    /** {@code file}'s digest, or empty when it is not a regular file (after links) or cannot be read. */
    static Optional<String> of(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            // through the gateway's no-follow handle on the real path it resolves itself (a FIFO or a device is refused,
            // not waited on): what runs is the link's target, and that is what is hashed
            return Optional.of(FileGateway.anywhere().sha256(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * One digest of every entry below {@code folder} (not following links to folders: a link is pinned by its target's
     * name, a link to a file by the file's bytes), names included; empty when it is not a folder.
     */
    static Optional<String> ofFolder(Path folder) {
        return ofFolderWithout(folder, Set.of());
    }

    /**
     * {@link #ofFolder} leaving out every entry under a folder named one of {@code skipped} (a package's
     * {@code __pycache__}, which the interpreter writes at the first run after trust).
     */
    static Optional<String> ofFolderWithout(Path folder, Set<String> skipped) {
        if (!Files.isDirectory(folder)) return Optional.empty();
        MessageDigest digest = sha256();
        try (Stream<Path> walk = Files.walk(folder.toRealPath(), new FileVisitOption[0])) {
            Path base = folder.toRealPath();
            List<Path> entries = walk.limit(MAX_FOLDER_ENTRIES + 1L).filter(p -> !under(base.relativize(p), skipped)).sorted().toList();
            if (entries.size() > MAX_FOLDER_ENTRIES) return Optional.of("too-large-" + System.nanoTime());
            int hashed = 0;
            for (Path p : entries) {
                String rel = base.relativize(p).toString();
                String what;
                if (Files.isSymbolicLink(p)) what = "link " + Files.readSymbolicLink(p) + " " + of(p).orElse("-");
                else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) what = "folder";
                else if (++hashed > MAX_FOLDER_FILES) what = "file " + Files.size(p) + " " + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
                else what = (Files.isExecutable(p) ? "exec " : "file ") + of(p).orElse("-");
                digest.update((rel + "\0" + what + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(HexFormat.of().formatHex(digest.digest()));
    }

    private static boolean under(Path relative, Set<String> skipped) {
        for (Path name : relative) if (skipped.contains(name.toString())) return true;
        return false;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
