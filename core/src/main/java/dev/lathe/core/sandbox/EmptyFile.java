package dev.lathe.core.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The empty, read-only file bound over every hidden file. Not {@code /dev/null}: a device node bound inside the
 * sandbox's user namespace is mounted nodev, so reading it fails with "Permission denied" instead of reading empty.
 */
final class EmptyFile {
    private EmptyFile() {}

    private static volatile Path path;

    static Path path() {
        Path known = path;
        if (known != null && Files.isRegularFile(known)) return known;
        synchronized (EmptyFile.class) {
            try {
                Path p = Files.createTempFile("lathe-sandbox-empty-", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--r--r--")));
                p.toFile().deleteOnExit();
                path = p;
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the sandbox's empty file", e);
            }
        }
    }
}
