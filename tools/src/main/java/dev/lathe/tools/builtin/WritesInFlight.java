package dev.lathe.tools.builtin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Where the temporary files of {@link AtomicWrite} are, while they exist, so a process killed mid-write (SIGKILL, an OOM
 * kill, a power cut) has its leftovers removed at the next start-up instead of at the next write of the same file,
 * which may never come. Each temporary file gets a marker in a journal folder of Lathe's state (one small file naming
 * the writer process, its start time and the temporary file's path), removed once the write is committed or aborted.
 * {@link #start} records in a folder and removes what writers that are gone left: only a path whose name is exactly
 * {@link AtomicWrite}'s {@code .NAME.lathe-N.tmp} and that is a regular file, never a user's file that only looks like
 * one and never the temporary file of a Lathe process still running (several share the state folder).
 */
public final class WritesInFlight {
    /** {@code .NAME.lathe-N.tmp} with N the base-36 random number {@link AtomicWrite} picks. */
    static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.lathe-[0-9a-z]{1,13}\\.tmp");

    private static volatile Optional<Path> journal = Optional.empty();

    private WritesInFlight() {}

    /**
     * From now on this process records its writes in {@code folder}; first, removes the temporary files that writers no
     * longer running left there. Returns the temporary files removed.
     */
    public static List<Path> start(Path folder) {
        List<Path> removed = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            try (var markers = Files.newDirectoryStream(folder, p -> p.getFileName().toString().endsWith(".write"))) {
                for (Path marker : markers) sweep(marker).ifPresent(removed::add);
            }
        } catch (IOException e) {
            // a state folder that cannot be read or written: writes stay atomic, only the clean-up after a crash is lost
        }
        journal = Optional.of(folder);
        return removed;
    }

    /** A written marker; {@link #done} removes it. */
    record Marker(Optional<Path> file) {
        static final Marker NONE = new Marker(Optional.empty());

        void done() {
            file.ifPresent(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // left: the next start-up finds its temporary file gone and removes the marker then
                }
            });
        }
    }

    /** Records that {@code temp} is being written by this process (nothing when no journal was {@link #start}ed). */
    static Marker record(Path temp) {
        Optional<Path> folder = journal;
        if (folder.isEmpty()) return Marker.NONE;
        ProcessHandle self = ProcessHandle.current();
        Path marker = folder.get().resolve(self.pid() + "-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".write");
        String body = self.pid() + "\n" + startOf(self) + "\n" + temp.toAbsolutePath() + "\n";
        try {
            Files.writeString(marker, body, StandardCharsets.UTF_8);
            return new Marker(Optional.of(marker));
        } catch (IOException e) {
            return Marker.NONE; // the write goes ahead; only its clean-up after a crash is lost
        }
    }

    /** Removes {@code marker}'s temporary file and the marker, unless the process that wrote it still runs. */
    private static Optional<Path> sweep(Path marker) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.size() < 3) {
            Files.deleteIfExists(marker); // a marker cut short by the crash itself: its temporary file was not created yet
            return Optional.empty();
        }
        if (running(lines.get(0), lines.get(1))) return Optional.empty();
        Path temp = Path.of(lines.get(2));
        Optional<Path> removed = Optional.empty();
        if (temp.getFileName() != null && TEMP_NAME.matcher(temp.getFileName().toString()).matches()) {
            try {
                var a = Files.readAttributes(temp, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile() && Files.deleteIfExists(temp)) removed = Optional.of(temp);
            } catch (IOException gone) {
                // already gone (the write finished but its marker's removal did not)
            }
        }
        Files.deleteIfExists(marker);
        return removed;
    }

    /** Whether the process {@code pid} that started at {@code started} still runs (a reused pid is another process). */
    private static boolean running(String pid, String started) {
        try {
            Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(pid.strip()));
            if (p.isEmpty() || !p.get().isAlive()) return false;
            if (p.get().pid() == ProcessHandle.current().pid()) return false; // this process has written nothing yet
            return startOf(p.get()).equals(started.strip());
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String startOf(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toString).orElse("?");
    }
}
