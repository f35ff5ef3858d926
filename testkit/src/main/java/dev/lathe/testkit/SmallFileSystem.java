package dev.lathe.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system (a tmpfs mounted over a folder), for faults that need a disk that fills up: writes past
 * its size fail with {@code ENOSPC}. Mounting needs root in a mount-capable container, so {@link #mount} is empty
 * where it cannot; tests skip then, and a fault that needs no privilege covers the same path elsewhere.
 *
 * {@snippet :
 * Optional<SmallFileSystem> disk = SmallFileSystem.mount(dir, "128k");
 * assumeTrue(disk.isPresent(), "mounting a tmpfs needs root");
 * try (var _ = disk.get()) { ... }
 * }
 */
public final class SmallFileSystem implements AutoCloseable {
    private final Path dir;

    private SmallFileSystem(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} ({@code mount}'s notation: {@code 128k}, {@code 2m}) over {@code dir}, if allowed. */
    public static Optional<SmallFileSystem> mount(Path dir, String size) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            boolean mounted = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            return mounted ? Optional.of(new SmallFileSystem(dir)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public Path dir() { return dir; }

    /** Unmounts it (lazily, so a process still inside does not keep it mounted). */
    @Override
    public void close() throws InterruptedException {
        try {
            new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // nothing was mounted, or umount is missing: nothing to undo
        }
    }
}
