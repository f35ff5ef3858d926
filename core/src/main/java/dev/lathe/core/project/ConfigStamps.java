package dev.lathe.core.project;

import dev.lathe.tools.FileGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What every configuration file of a project looked like when its configuration was read, to tell cheaply whether it
 * changed since: a check costs one {@code stat} per file while nothing changed; only a file whose size, modification
 * time or file key moved is read, and its content decides (an editor that rewrites a file unchanged, a {@code touch},
 * changes nothing).
 */
record ConfigStamps(Map<Path, Stamp> stamps) {
    ConfigStamps {
        stamps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stamps));
    }

    /**
     * One file: {@code size -1} when it is absent (or not a regular file); {@code digest} is its content's SHA-256
     * ({@code ""} when absent).
     */
    record Stamp(long size, long modified, Object fileKey, String digest) {
        static final Stamp ABSENT = new Stamp(-1, -1, null, "");

        boolean sameStat(Stamp other) {
            return size == other.size && modified == other.modified && Objects.equals(fileKey, other.fileKey);
        }
    }

    /** The size a watched folder's stamp carries; its digest is its listing. */
    static final long FOLDER = -2;

    /** What a {@link #check} found. */
    sealed interface Check {
        /** No file's size, time or key moved: nothing was read. */
        record Unchanged() implements Check {}

        /** Files were touched, their content is the same: keep the configuration, remember {@code stamps}. */
        record Touched(ConfigStamps stamps) implements Check {}

        /** A file's content changed (or it appeared or went away): read the configuration again. */
        record Changed(ConfigStamps stamps) implements Check {}
    }

    /** The stamps of {@code files} now, each present one read once for its digest. */
    static ConfigStamps of(List<Path> files) {
        Map<Path, Stamp> out = new LinkedHashMap<>();
        for (Path f : files) out.put(f, withDigest(stat(f), f));
        return new ConfigStamps(out);
    }

    /** Compares every file with its stamp: stat only, unless one moved. */
    Check check() {
        Map<Path, Stamp> fresh = null;
        boolean changed = false;
        for (Map.Entry<Path, Stamp> e : stamps.entrySet()) {
            Stamp now = stat(e.getKey());
            if (now.sameStat(e.getValue())) continue;
            if (fresh == null) fresh = new LinkedHashMap<>(stamps);
            Stamp read = withDigest(now, e.getKey());
            fresh.put(e.getKey(), read);
            if (!read.digest().equals(e.getValue().digest())) changed = true;
        }
        if (fresh == null) return new Check.Unchanged();
        return changed ? new Check.Changed(new ConfigStamps(fresh)) : new Check.Touched(new ConfigStamps(fresh));
    }

    private static Stamp stat(Path file) {
        try {
            // null for a missing file, without the exception Files.readAttributes throws: most of the names checked at
            // every step (each harness's config files) do not exist, and the exceptions were a tenth of a step's CPU
            BasicFileAttributes a = file.getFileSystem().provider().readAttributesIfExists(file, BasicFileAttributes.class);
            if (a != null && a.isDirectory()) return new Stamp(FOLDER, nanos(a.lastModifiedTime()), a.fileKey(), "");
            if (a == null || !a.isRegularFile()) return Stamp.ABSENT;
            return new Stamp(a.size(), nanos(a.lastModifiedTime()), a.fileKey(), "");
        } catch (IOException e) {
            return Stamp.ABSENT;
        }
    }

    /**
     * A modification time as precisely as the file system keeps it (nanoseconds on ext4, tmpfs, btrfs, xfs): two
     * rewrites of the same size within one millisecond, the second after a look, differ only there (decision 550).
     */
    private static long nanos(FileTime time) {
        return time.to(TimeUnit.NANOSECONDS);
    }

    private static Stamp withDigest(Stamp stat, Path file) {
        if (stat.size() == FOLDER) return new Stamp(FOLDER, stat.modified(), stat.fileKey(), listing(file));
        if (stat.size() < 0) return stat;
        try {
            // streamed through the gateway's one handle: a FIFO swapped in is refused, a huge file is never held; only
            // the digest is kept, and the loader then reads (or refuses) the file with its own rules
            return new Stamp(stat.size(), stat.modified(), stat.fileKey(), FileGateway.anywhere().sha256(file));
        } catch (NoSuchFileException e) {
            return Stamp.ABSENT;
        } catch (IOException e) {
            // unreadable: a digest no content has, so the loader is asked and reports it with the file's name
            return new Stamp(stat.size(), stat.modified(), stat.fileKey(), "unreadable");
        }
    }

    /**
     * A watched folder's entries, sorted: a file added to it (a managed drop-in) changes the listing, and the folder's
     * time moved when it did, so the check reads the listing only then.
     */
    private static String listing(Path folder) {
        try (var entries = Files.list(folder)) {
            return String.join("\n", entries.map(e -> e.getFileName().toString()).sorted().toList());
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
