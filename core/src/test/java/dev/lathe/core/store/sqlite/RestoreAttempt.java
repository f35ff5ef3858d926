package dev.lathe.core.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * A second process trying the database's lock file alone, as {@code lathe db restore} does, and saying whether it got
 * it: {@code taken} or {@code refused}. A file lock belongs to a process, so whether this process still holds its lease
 * can only be seen from another one.
 */
public final class RestoreAttempt {
    private RestoreAttempt() {}

    /** Runs the attempt on {@code database}'s lock file in a new JVM and returns what it said. */
    public static String on(Path database) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try {
            Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), RestoreAttempt.class.getName(),
                    database.toString()).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the restore attempt hung");
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        Path database = Path.of(args[0]);
        try (FileChannel channel = FileChannel.open(database.resolveSibling(database.getFileName() + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            System.out.println(channel.tryLock(0, Long.MAX_VALUE, false) != null ? "taken" : "refused");
        }
    }
}
