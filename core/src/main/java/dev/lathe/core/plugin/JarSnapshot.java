package dev.lathe.core.plugin;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A plugin jar's bytes as they were read once: their SHA-256 and a private copy named by it, which is what is checked
 * against trust and what the class loader reads. A class loader reads a jar lazily (every class, every resource, long
 * after loading), so loading the folder's file itself would run whatever it holds at that moment, not what was hashed;
 * the copy lives in a folder of this process's own ({@code 0700}, under the JVM's temporary folder, which sandboxed
 * commands do not see) and is read-only.
 */
record JarSnapshot(Path copy, String sha256) {
    /** A jar larger than this is not loaded (it would be read into memory whole). */
    static final long MAX_BYTES = 256L * 1024 * 1024;
    private static volatile Path folder;

    /** {@code jar}'s bytes read once, hashed and copied; empty (with why in the log) when it cannot be read or is too large. */
    static Optional<JarSnapshot> of(Path jar) {
        try {
            if (Files.size(jar) > MAX_BYTES) return Optional.empty();
            byte[] bytes = FileGateway.anywhere().readAllBytes(jar);
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            Path copy = folder().resolve(digest + ".jar");
            if (!Files.exists(copy)) {
                Path part = Files.createTempFile(folder(), digest, ".part");
                Files.write(part, bytes, StandardOpenOption.TRUNCATE_EXISTING);
                Files.setPosixFilePermissions(part, PosixFilePermissions.fromString("r--------"));
                Files.move(part, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                copy.toFile().deleteOnExit();
            }
            return Optional.of(new JarSnapshot(copy, digest));
        } catch (IOException e) {
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static synchronized Path folder() throws IOException {
        if (folder == null) {
            Path made = Files.createTempDirectory("lathe-plugin-jars-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            made.toFile().deleteOnExit();
            folder = made;
        }
        return folder;
    }
}
