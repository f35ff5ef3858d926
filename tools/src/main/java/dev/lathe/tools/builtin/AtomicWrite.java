package dev.lathe.tools.builtin;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replacing a file's content so that a failure at any point (a full disk, a crash, a killed server) leaves either the
 * old content or the new, never a mix: the bytes go to a temporary file in the same folder ({@code .NAME.lathe-N.tmp}),
 * are synced to disk, take the original's permissions (and owner, where allowed), and are renamed over the original,
 * which POSIX makes atomic; the folder is then synced so the rename itself survives a crash. A failure removes the
 * temporary file and leaves the original untouched.
 *
 * <p>Written in place instead (truncate and write, then sync), because a rename would break what the user relies on:
 * a file with more than one hard link whose every name is in the project (a rename gives this name a new file and the
 * other names keep the old content), and a file whose folder Lathe may not create files in while the file itself is
 * writable. A hard link whose other names are not all found in the project is replaced by the rename, never written in
 * place (issue 79, decision 560): its other name may be {@code ~/.bashrc}, which a write in place would change without
 * any check of that path; the names it keeps then hold the old content. A file that is not
 * writable is refused rather than replaced by a rename its permissions would not allow. The path is the real path the
 * caller decided on (decision 69): a symbolic link found there now was swapped in since, and is refused.
 */
final class AtomicWrite {
    /** Writes all of a buffer to a channel; the seam a test uses to fail half-way with a real partial file. */
    @FunctionalInterface
    interface Writer {
        void write(FileChannel channel, ByteBuffer bytes) throws IOException;

        Writer FULLY = (channel, bytes) -> {
            while (bytes.hasRemaining()) channel.write(bytes);
        };
    }

    /** How the last {@link #replace} wrote: for tests and for what a result may say. */
    enum Method { RENAMED, IN_PLACE, CREATED }

    private final Writer writer;

    AtomicWrite(Writer writer) {
        this.writer = writer;
    }

    static final AtomicWrite DEFAULT = new AtomicWrite(Writer.FULLY);

    /**
     * Replaces (or creates) {@code file} with {@code bytes}; throws with the original intact on any failure.
     * {@code project}: the folder where a hard link's other names may be and still be written in place (real).
     */
    Method replace(Path file, byte[] bytes, Path project) throws IOException {
        Staged staged = stage(file, bytes, project);
        try {
            return staged.commit();
        } catch (IOException | RuntimeException | Error e) {
            staged.abort();
            throw e;
        }
    }

    /**
     * A write made ready and not yet visible: the new bytes synced to a temporary file beside the original, or, for a
     * file written in place, nothing yet. {@link #commit} renames (or writes in place); {@link #abort} deletes the
     * temporary file. Several files staged first and committed after make a multi-file change fail whole when a
     * staging fails (a full disk), since nothing has replaced anything yet.
     */
    final class Staged {
        private final Path file;
        private final byte[] bytes;
        private final Optional<Path> temp;
        private final boolean existed;
        private final WritesInFlight.Marker marker;

        private Staged(Path file, byte[] bytes, Optional<Path> temp, boolean existed, WritesInFlight.Marker marker) {
            this.file = file;
            this.bytes = bytes;
            this.temp = temp;
            this.existed = existed;
            this.marker = marker;
        }

        /** Puts the new content in place; on failure the original is intact unless it is written in place. */
        Method commit() throws IOException {
            if (temp.isEmpty()) {
                inPlace(file, bytes);
                return Method.IN_PLACE;
            }
            Files.move(temp.get(), file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            marker.done();
            Path dir = file.toAbsolutePath().getParent();
            syncFolder(dir);
            removeLeftovers(dir, file.getFileName().toString());
            return existed ? Method.RENAMED : Method.CREATED;
        }

        /** Removes the temporary file; the original was never touched. */
        void abort() {
            temp.ifPresent(t -> {
                try {
                    Files.deleteIfExists(t);
                    marker.done();
                } catch (IOException e) {
                    // left for the next write of the file (removeLeftovers) or the next start-up (WritesInFlight) to remove
                }
            });
        }
    }

    /**
     * Stages {@code bytes} for {@code file} ({@link Staged}); throws, leaving nothing behind, when that fails. A hard link
     * is staged to be written in place only when every one of its names is inside {@code project}.
     */
    Staged stage(Path file, byte[] bytes, Path project) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        PosixFileAttributes before = existing(file);
        boolean linked = before != null && linkCount(file) > 1;
        boolean namedOutside = linked && !everyNameWithin(file, project);
        if (linked && !namedOutside) return new Staged(file, bytes, Optional.empty(), true, WritesInFlight.Marker.NONE);
        Path temp;
        try {
            temp = createTemp(dir, file.getFileName().toString(), before);
        } catch (AccessDeniedException e) {
            // a hard link with a name outside is never written into, even where the folder takes no new file
            if (before == null || namedOutside) throw e;
            return new Staged(file, bytes, Optional.empty(), true, WritesInFlight.Marker.NONE);
        }
        WritesInFlight.Marker marker = WritesInFlight.record(temp);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                writer.write(ch, ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            if (before != null) keepOwnership(temp, before);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(temp);
                marker.done();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new Staged(file, bytes, Optional.of(temp), before != null, marker);
    }

    /** A temporary file older than this was left by a write that crashed (a write in progress is not that slow). */
    static final java.time.Duration LEFTOVER_AGE = java.time.Duration.ofMinutes(1);

    /**
     * Deletes this file's temporary files that a crashed write left behind (the server killed between creating and
     * renaming one): they are named for the file, so the next successful write of it is where they are noticed.
     */
    private static void removeLeftovers(Path dir, String name) {
        String prefix = "." + name + ".lathe-";
        long cutoff = System.currentTimeMillis() - LEFTOVER_AGE.toMillis();
        try (var entries = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
        })) {
            for (Path p : entries) {
                try {
                    var a = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (a.isRegularFile() && a.lastModifiedTime().toMillis() < cutoff) Files.deleteIfExists(p);
                } catch (IOException gone) {
                    // removed meanwhile, or not ours to remove: left alone
                }
            }
        } catch (IOException e) {
            // the folder cannot be listed: the leftovers stay, the write itself succeeded
        }
    }

    /** The attributes of the file there now (not following a link), or {@code null} when there is none. */
    private static PosixFileAttributes existing(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return null;
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) throw new IOException(file + " has changed into a link since it was checked");
        if (!a.isRegularFile()) throw new IOException(file + " is not a regular file");
        if (!Files.isWritable(file)) throw new AccessDeniedException(file.toString(), null, "the file is read-only (not writable)");
        return a;
    }

    /**
     * Whether the project holds as many names of {@code file} as it has links: then a write in place changes only the
     * project's files. A name the walk does not find (outside the project, or past the gateway's walk limit) may be any
     * file of the user's on the same disk, so the answer is then no, and the file is replaced rather than written into.
     */
    private static boolean everyNameWithin(Path file, Path project) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            return false;
        }
        FileGateway names = FileGateway.of(project, FileGateway.ReadRules.NONE);
        if (!real.startsWith(names.project())) return false;
        return names.otherNames(real).size() + 1 >= linkCount(file);
    }

    private static int linkCount(Path file) {
        try {
            return (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    private static Path createTemp(Path dir, String name, PosixFileAttributes before) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + name + ".lathe-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                Files.createFile(temp);
                // set after creating: the umask would have narrowed permissions given at creation
                if (before != null) Files.setPosixFilePermissions(temp, before.permissions());
                return temp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) throw e;
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        }
    }

    /** The original's owner and group, where this process may give them (root; or a group it belongs to). */
    private static void keepOwnership(Path temp, PosixFileAttributes before) {
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        try {
            PosixFileAttributes now = view.readAttributes();
            if (!now.owner().equals(before.owner())) view.setOwner(before.owner());
            if (!now.group().equals(before.group())) view.setGroup(before.group());
        } catch (IOException e) {
            // not permitted: the file becomes this user's, as any editor saving by rename does
        }
    }

    private void inPlace(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            writer.write(ch, ByteBuffer.wrap(bytes));
            ch.force(true);
        }
    }

    private static void syncFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a folder; the rename is done either way
        }
    }
}
