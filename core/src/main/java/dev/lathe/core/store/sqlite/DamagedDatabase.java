package dev.lathe.core.store.sqlite;

import dev.lathe.core.store.StoreException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What happens to a database {@link DatabaseCheck} found damaged: it is moved aside whole — the file and its
 * {@code -wal} and {@code -shm} — to {@code lathe.db.corrupt-<UTC time>} next to it, never deleted (the sessions in it
 * may still be recovered with {@code sqlite3 .recover}), and a fresh database is then created in its place by the
 * caller. The message naming both paths goes to the log and to {@code lathe.db.notice}, which the next client to start
 * shows once ({@link #takeNotices}) and {@code lathe doctor} reports through the moved files ({@link #movedAside}).
 *
 * <p>A file is never moved when that could lose what a working Lathe needs: when it was written by a newer Lathe (its
 * {@code user_version} is above the schema versions bundled here) or by a newer SQLite that this one cannot read, or
 * when another Lathe process has it open. Those are errors that say so, and the file is left exactly as it was.
 */
public final class DamagedDatabase {
    /** Asked for when something is logged, not on a {@code lathe run} client's way to its first request (issue 70). */
    private static System.Logger log() {
        return System.getLogger(DamagedDatabase.class.getName());
    }
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final String ASIDE_INFIX = ".corrupt-";
    private static final List<String> COMPANIONS = List.of("-wal", "-shm");

    private DamagedDatabase() {}

    /**
     * Moves {@code file} aside as described above and records the notice.
     *
     * @param leaseHeldAlone the caller holds the database lease exclusively: no other process has the file open
     * @throws StoreException when it must not or cannot be moved; the file is then untouched
     */
    static Path moveAside(Path file, DatabaseCheck.Verdict.Damaged damaged, boolean leaseHeldAlone) throws IOException {
        int bundled = Migrations.latestVersion();
        if (damaged.header().userVersion() > bundled) {
            throw new StoreException("cannot open database " + file + ": it was written by a newer Lathe (schema version "
                    + damaged.header().userVersion() + ", this one knows up to " + bundled + ") and this one cannot read it ("
                    + damaged.why() + "); it was left as it is: use the newer Lathe", null);
        }
        if (!damaged.why().startsWith("PRAGMA quick_check") && damaged.header().writtenBySqlite() > sqliteVersionNumber()) {
            throw new StoreException("cannot open database " + file + ": it was last written by SQLite "
                    + versionText(damaged.header().writtenBySqlite()) + ", newer than this Lathe's " + versionText(sqliteVersionNumber())
                    + ", which cannot read it (" + damaged.why() + "); it was left as it is: use a newer Lathe", null);
        }
        // a caller holding the lease alone is covered by it, and must not open the lock file again: closing that channel
        // would let go of the caller's own lease (a file lock is the process's), letting a restore in under its start
        try (DatabaseLease.Exclusive _ = leaseHeldAlone ? null : DatabaseLease.tryExclusive(file).orElseThrow(() -> new StoreException(
                "database " + file + " is damaged (" + damaged.why() + ") but another Lathe process has it open, so it was left as it "
                        + "is: stop that process (`lathe stop` for the background server) and start again", null))) {
            Path aside = asideName(file);
            Files.move(file, aside);
            for (String suffix : COMPANIONS) {
                Path companion = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(companion)) Files.move(companion, aside.resolveSibling(aside.getFileName() + suffix));
            }
            String notice = "the database " + file + " was damaged (" + damaged.why() + "); it was moved aside to " + aside
                    + " (with its -wal and -shm files), never deleted, and a fresh database was created at " + file
                    + "; earlier sessions are in the moved file (`sqlite3 " + aside + " .recover` may get them back)";
            log().log(System.Logger.Level.WARNING, notice);
            Files.writeString(noticeFile(file), notice + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return aside;
        }
    }

    /**
     * The notices of databases moved aside since a client last asked, removed as they are returned, so each is shown
     * once. Empty when there are none or they cannot be read.
     */
    public static List<String> takeNotices(Path database) {
        Path notices = noticeFile(database);
        try {
            if (!Files.exists(notices)) return List.of();
            List<String> lines = Files.readAllLines(notices, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
            Files.deleteIfExists(notices);
            return lines;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The files databases were moved aside to, oldest first. */
    public static List<Path> movedAside(Path database) {
        String prefix = database.getFileName() + ASIDE_INFIX;
        try (var files = Files.list(database.toAbsolutePath().getParent())) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(prefix) && !name.endsWith("-wal") && !name.endsWith("-shm");
            }).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Path noticeFile(Path database) {
        return database.resolveSibling(database.getFileName() + ".notice");
    }

    /** {@code lathe.db.corrupt-<UTC time>}, with a counter when two are moved within one second. */
    private static Path asideName(Path file) {
        String base = file.getFileName() + ASIDE_INFIX + STAMP.format(Instant.now());
        Path aside = file.resolveSibling(base);
        for (int n = 2; Files.exists(aside); n++) aside = file.resolveSibling(base + "-" + n);
        return aside;
    }

    /** This SQLite's version as the header stores it: 3.50.3 is 3050003. */
    private static int sqliteVersionNumber() {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            String[] parts = rs.getString(1).split("\\.");
            return Integer.parseInt(parts[0]) * 1_000_000 + Integer.parseInt(parts[1]) * 1_000 + Integer.parseInt(parts[2]);
        } catch (SQLException | RuntimeException e) {
            return Integer.MAX_VALUE;  // unknown: no file is taken for a newer one
        }
    }

    private static String versionText(int number) {
        return number / 1_000_000 + "." + number / 1_000 % 1_000 + "." + number % 1_000;
    }
}
