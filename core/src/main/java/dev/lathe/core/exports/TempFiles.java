package dev.lathe.core.exports;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** Files written whole or not at all: to a temporary file beside the target (mode 0600), synced, then renamed into place. */
final class TempFiles {
    private TempFiles() {}

    /** Writes {@code text} as {@code file}, which must not exist yet; on failure nothing is left behind. */
    static void writeAtomically(Path file, String text) throws IOException {
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new IOException(file + " exists already");
        Path temp = Files.createTempFile(file.getParent(), ".lathe-export-", ".tmp");
        try {
            try (var out = new FileOutputStream(temp.toFile())) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.getFD().sync();
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Deletes {@code dir} and what is in it (links themselves, never what they point at); quietly, as a clean-up. */
    static void deleteTree(Path dir) {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException leftOver) {
            // a clean-up that fails leaves a hidden .lathe-export- folder the other harness does not read
        }
    }
}
