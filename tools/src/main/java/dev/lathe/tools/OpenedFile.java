package dev.lathe.tools;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a file through one open handle and says what file that handle really is, so a check made on a path (its real
 * path, the {@code read} rules) holds for the bytes read: a file swapped for a link, or a folder on its path swapped
 * for one, between the check and the read (a parallel command racing a turn) is caught, not followed.
 *
 * <p>On Linux the file is opened with {@code O_NOFOLLOW} through the C library ({@code java.lang.foreign}; Lathe runs
 * with native access for SQLite), the kernel's own name for the opened file ({@code /proc/self/fd/N}) is compared
 * with the path that was checked, and the bytes are read from that same open file. Elsewhere, or without native
 * access, the file is opened without following a last link and its identity (device, inode) compared before and
 * after the read.
 *
 * <p>Used for the files Lathe puts into a prompt ({@code PromptFiles}) and by the file tools ({@code TextFile.open}),
 * whose checks are made on real paths: between a check and the open, a parent folder swapped for a link would
 * otherwise be followed.
 */
public final class OpenedFile {
    /** The file read and what the open handle turned out to be; {@code bytes} empty when it was not the file checked. */
    public record Read(Path opened, Optional<byte[]> bytes) {}

    private static final int O_CLOEXEC = 0x80000;
    /** A FIFO swapped in opens at once instead of waiting for a writer, and is then refused as not a regular file. */
    private static final int O_NONBLOCK = 0x800;
    private static final Native NATIVE = Native.load();

    private OpenedFile() {}

    /**
     * The bytes of {@code real} (an absolute real path that was checked), read only when the file opened is that path:
     * not a link, not reached through a folder swapped for a link.
     */
    public static Read read(Path real) throws IOException {
        if (NATIVE != null) {
            int fd = NATIVE.open(real);
            if (fd < 0) throw new IOException(real + ": cannot be opened without following links (a link, or gone)");
            try {
                Path proc = Path.of("/proc/self/fd/" + fd);
                Path opened = Files.readSymbolicLink(proc);
                if (!opened.equals(real)) return new Read(opened, Optional.empty());
                return new Read(opened, Optional.of(Files.readAllBytes(proc)));
            } finally {
                NATIVE.close(fd);
            }
        }
        Object before = Files.readAttributes(real, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        byte[] bytes;
        try (var in = Files.newByteChannel(real, java.nio.file.StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            bytes = java.nio.channels.Channels.newInputStream(in).readAllBytes();
        }
        Path now = real.toRealPath();
        Object after = Files.readAttributes(real, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        boolean same = now.equals(real) && before != null && before.equals(after);
        return new Read(now, same ? Optional.of(bytes) : Optional.empty());
    }

    /**
     * A stream of {@code real} (an absolute real path that was checked) from a handle opened without following links,
     * when it is that path and a regular file; empty without native access (the caller opens it the portable way).
     *
     * @throws IOException when the file opened is not {@code real} (a folder on its path was swapped for a link since
     *     the check), is a link, is gone, or is not a regular file
     */
    public static Optional<InputStream> stream(Path real) throws IOException {
        if (NATIVE == null) return Optional.empty();
        int fd = NATIVE.open(real, O_NONBLOCK);
        if (fd < 0) throw new IOException(real + ": cannot be opened without following links (a link, or gone)");
        try {
            Path proc = Path.of("/proc/self/fd/" + fd);
            Path opened = Files.readSymbolicLink(proc);
            if (!opened.equals(real)) throw new IOException(real + " was reached through a link swapped in since it was checked (it is " + opened + ")");
            if (!Files.isRegularFile(proc)) throw new IOException(real + " is not a regular file");
            // the kernel's name of the open file: this opens the same file again, whatever its path has become since
            return Optional.of(Files.newInputStream(proc));
        } finally {
            NATIVE.close(fd);
        }
    }

    /**
     * The file at {@code real} (an absolute real path), opened without following links, with the identity of the file the
     * handle holds: what {@link FileGateway} checks its {@code read} rules against, so the file checked is the file read.
     */
    record Handle(Path real, InputStream in, Object fileKey, int links) {}

    /**
     * A {@link Handle} on {@code real} when the file opened is that path and a regular file.
     *
     * @throws IOException when it is a link, reached through a folder swapped for a link, gone, or not a regular file
     */
    static Handle handle(Path real) throws IOException {
        if (NATIVE != null) {
            int fd = NATIVE.open(real, O_NONBLOCK);
            if (fd < 0) throw new IOException(real + ": cannot be opened without following links (a link, or gone)");
            try {
                Path proc = Path.of("/proc/self/fd/" + fd);
                Path opened = Files.readSymbolicLink(proc);
                if (!opened.equals(real)) throw new IOException(real + " is reached through a link (it opens " + opened + ")");
                var a = Files.readAttributes(proc, java.nio.file.attribute.BasicFileAttributes.class);
                if (!a.isRegularFile()) throw new IOException(real + " is not a regular file");
                int links = ((Number) Files.getAttribute(proc, "unix:nlink")).intValue();
                // the kernel's name of the open file: the same file again, whatever its path has become since
                return new Handle(real, Files.newInputStream(proc), a.fileKey(), links);
            } finally {
                NATIVE.close(fd);
            }
        }
        var before = Files.readAttributes(real, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!before.isRegularFile()) throw new IOException(real + " is not a regular file (or a link)");
        InputStream in = openWithin(real, OPEN_TIMEOUT);
        if (!real.toRealPath().equals(real)) {
            in.close();
            throw new IOException(real + " is reached through a link");
        }
        int links = linksOf(real);
        return new Handle(real, in, before.fileKey(), links);
    }

    /** How long a portable open may block: a regular file opens at once; only a FIFO (or a device) swapped in waits. */
    static final java.time.Duration OPEN_TIMEOUT = java.time.Duration.ofSeconds(5);

    /**
     * Opens {@code file} for reading without following a last link, giving up after {@code timeout}: where there is no
     * {@code O_NONBLOCK} open (no native access), a FIFO swapped in after the type check would block {@code open(2)}
     * until a writer comes, possibly forever. On timeout the blocked open is released by opening the FIFO for writing
     * (which returns at once, as a reader is waiting), both are closed, and the open fails.
     */
    static InputStream openWithin(Path file, java.time.Duration timeout) throws IOException {
        var opening = new java.util.concurrent.FutureTask<InputStream>(() -> Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
        Thread.ofVirtual().name("lathe-open").start(opening);
        try {
            return opening.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException(e.getCause());
        } catch (java.util.concurrent.TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            try (var release = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                // nothing is written: opening is what lets the blocked reader's open return
            } catch (IOException | RuntimeException ignored) {
                // not a FIFO after all (or gone): the open stays blocked; its virtual thread is all that is lost
            }
            try {
                opening.get(1, java.util.concurrent.TimeUnit.SECONDS).close();
            } catch (Exception ignored) {
                // still blocked or failed: nothing to close
            }
            throw new IOException(file + " did not open within " + timeout.toSeconds() + " s: it is not a regular file now (a FIFO or a device "
                    + "swapped in since it was checked)");
        }
    }

    private static int linksOf(Path file) {
        try {
            return ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1; // no such attribute on this system: no hard links to look for
        }
    }

    /** {@code open(2)} and {@code close(2)} of the C library, with this machine's {@code O_NOFOLLOW}. */
    private record Native(MethodHandle open, MethodHandle close, int noFollow) {
        static Native load() {
            String arch = System.getProperty("os.arch", "");
            int noFollow = switch (arch) {
                case "amd64", "x86_64" -> 0x20000;
                case "aarch64", "arm64" -> 0x8000;
                default -> -1;
            };
            if (noFollow < 0 || !System.getProperty("os.name", "").equals("Linux") || !Files.isDirectory(Path.of("/proc/self/fd"))) return null;
            try {
                Linker linker = Linker.nativeLinker();
                MethodHandle open = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(2));
                MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                return new Native(open, close, noFollow);
            } catch (RuntimeException | LinkageError e) {
                return null; // no native access: the identity check below
            }
        }

        int open(Path path) {
            return open(path, 0);
        }

        int open(Path path, int flags) {
            try (Arena arena = Arena.ofConfined()) {
                return (int) open.invokeExact(arena.allocateFrom(path.toString()), noFollow | O_CLOEXEC | flags, 0);
            } catch (Throwable e) {
                return -1;
            }
        }

        void close(int fd) {
            try {
                int ignored = (int) close.invokeExact(fd);
            } catch (Throwable e) {
                // nothing more to do for a descriptor that cannot be closed
            }
        }
    }
}
