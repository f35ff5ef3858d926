package dev.lathe.core.store.sqlite;

import dev.lathe.core.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies of the database beside it ({@code lathe db backup|restore}, and the copy taken before every migration): each
 * one a single self-contained file, {@code lathe.db.<UTC time>.<kind>.bak}, made by {@code VACUUM INTO} — a consistent
 * snapshot under WAL, taken through a connection that only reads, while a server may be writing. The copies Lathe makes
 * on its own (before an upgrade, before a restore) are bounded: the newest {@link #KEPT} of each kind stay, older ones
 * are deleted when a new one is made. A copy the user asked for is theirs and is never deleted.
 */
public final class Backups {
    /** How many copies of each automatic kind are kept. */
    public static final int KEPT = 3;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("\\.(\\d{8}T\\d{6}Z)(?:-(\\d+))?\\.(upgrade|manual|before-restore)\\.bak");
    /** What Lathe before decision 118 wrote before a migration: {@code lathe.db.v<N>.bak}, one per version. */
    private static final Pattern LEGACY = Pattern.compile("\\.v(\\d+)\\.bak");

    private Backups() {}

    /** Why a copy was made; its name says it. */
    public enum Kind {
        /** Before migrations ran (automatic, bounded). */
        UPGRADE("upgrade"),
        /** {@code lathe db backup} (the user's: never deleted by Lathe). */
        MANUAL("manual"),
        /** The database a restore replaced (automatic, bounded). */
        BEFORE_RESTORE("before-restore");

        private final String label;

        Kind(String label) { this.label = label; }

        /** As in the file name and in listings. */
        public String label() { return label; }

        boolean automatic() { return this != MANUAL; }
    }

    /** A copy beside the database: its schema version is read from the file, empty when it cannot be read. */
    public record Backup(Path file, Kind kind, Instant madeAt, OptionalInt schemaVersion, long bytes) {}

    /** What a restore did: {@code database} now holds {@code from}'s data; what it held before is in {@code keptAt}. */
    public record Restored(Path database, Path from, int schemaVersion, Optional<Path> keptAt) {}

    /** The copies beside {@code database}, newest first. */
    public static List<Backup> of(Path database) {
        Path absolute = database.toAbsolutePath();
        String base = absolute.getFileName().toString();
        // two copies made within one second are told apart by the counter in the second one's name
        record Found(Backup backup, int counter) {}
        List<Found> out = new ArrayList<>();
        try (var files = Files.list(absolute.getParent())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (!name.startsWith(base + ".") || !Files.isRegularFile(p)) continue;
                String rest = name.substring(base.length());
                Matcher m = NAME.matcher(rest);
                Matcher legacy = LEGACY.matcher(rest);
                if (m.matches()) {
                    Instant madeAt;
                    int counter;
                    try {
                        madeAt = STAMP.parse(m.group(1), Instant::from);
                        counter = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                    } catch (java.time.DateTimeException | NumberFormatException e) {
                        // a stray file named almost like a copy (month 13, a counter past int): no copy of ours, so
                        // neither listed nor pruned, and no reason for a migration or a listing to fail
                        continue;
                    }
                    out.add(new Found(describe(p, kindOf(m.group(3)), madeAt), counter));
                } else if (legacy.matches()) {
                    out.add(new Found(describe(p, Kind.UPGRADE, Files.getLastModifiedTime(p).toInstant()), 1));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out.stream().sorted(Comparator.comparing((Found f) -> f.backup().madeAt()).thenComparingInt(Found::counter).reversed())
                .map(Found::backup).toList();
    }

    /**
     * {@code lathe db backup}: a consistent copy of {@code database} at {@code target}, or beside it as a
     * {@link Kind#MANUAL} copy; safe while a server writes to it.
     *
     * @return where the copy is
     * @throws StoreException when there is no database, the target exists, or the copy fails
     */
    public static Path backup(Path database, Optional<Path> target) {
        requireDatabase(database);
        Path to = target.map(Path::toAbsolutePath).orElseGet(() -> nameFor(database, Kind.MANUAL));
        if (Files.exists(to)) throw new StoreException(to + " exists already: name a file that does not", null);
        try (Connection c = reader(database)) {
            copy(c, to);
        } catch (SQLException | IOException e) {
            throw SqliteErrors.of("cannot back up " + database + " to " + to, database, e);
        }
        return to;
    }

    /**
     * The copy taken before migrations run, on the connection that will run them; older ones of its kind beyond
     * {@link #KEPT} are deleted once it is made.
     */
    static Path beforeUpgrade(Connection writer, Path database) throws SQLException, IOException {
        Path to = nameFor(database, Kind.UPGRADE);
        copy(writer, to);
        prune(database, Kind.UPGRADE, to);
        return to;
    }

    /**
     * {@code lathe db restore BACKUP}: replaces {@code database} with the data of {@code backup} (which is left as it
     * is), after keeping what the database held as a {@link Kind#BEFORE_RESTORE} copy (moved aside whole, with its
     * {@code -wal} and {@code -shm}, when it is too damaged to copy). No {@code -wal} or {@code -shm} of the replaced
     * file stays beside the new one. Refused, with nothing changed, when the backup is damaged, no Lathe database, of a
     * newer Lathe, or while another Lathe process has the database open. The caller makes sure no server can start
     * meanwhile (the data folder's lock, which lives in the server).
     */
    public static Restored restore(Path database, Path backup) {
        Path target = database.toAbsolutePath();
        Path from = backup.toAbsolutePath();
        if (!Files.isRegularFile(from)) throw new StoreException("no backup at " + from, null);
        if (from.equals(target) || from.getFileName().toString().equals(target.getFileName() + "-wal")) {
            throw new StoreException(from + " is the database itself, not a backup of it", null);
        }
        int version = checkRestorable(from);
        Path incoming = target.resolveSibling(target.getFileName() + ".restoring");
        try (DatabaseLease.Exclusive alone = DatabaseLease.tryExclusive(target).orElseThrow(() -> new StoreException("another Lathe process has "
                + target + " open (a `lathe run`, or an editor's `lathe acp`): let it finish, then restore again; nothing was changed", null))) {
            // the backup's data first, beside the database: until the rename below, the database is as it was
            try (Connection c = SchemaVersion.openWithoutWriting(from)) {
                copy(c, incoming);
            }
            Optional<Path> kept = keepCurrent(target);
            // a -wal left beside the new file would be replayed into it: the old one's contents are in the kept copy
            for (String suffix : List.of("-wal", "-shm")) Files.deleteIfExists(target.resolveSibling(target.getFileName() + suffix));
            Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            prune(target, Kind.BEFORE_RESTORE, kept.orElse(null));
            return new Restored(target, from, version, kept);
        } catch (SQLException | IOException e) {
            throw SqliteErrors.of("cannot restore " + from + " into " + target, target, e);
        } finally {
            try {
                Files.deleteIfExists(incoming);
            } catch (IOException e) {
                // a leftover .restoring file is replaced by the next restore
            }
        }
    }

    /** The schema version of a backup that can be restored here; else why not. */
    private static int checkRestorable(Path backup) {
        try {
            if (!DatabaseCheck.DatabaseHeader.read(backup).isSqlite()) throw new StoreException(backup + " is not a SQLite database", null);
            List<String> problems = IntegrityCheck.problems(backup);
            if (!problems.isEmpty()) {
                throw new StoreException(backup + " is damaged (integrity_check: " + String.join("; ", problems) + "); choose another backup", null);
            }
            try (Connection c = SchemaVersion.openWithoutWriting(backup); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('schema_version', 'session')")) {
                if (!rs.next() || rs.getInt(1) < 2) throw new StoreException(backup + " is not a Lathe database (it has no sessions table)", null);
            }
            int version = SchemaVersion.stored(backup);
            if (version > SchemaVersion.bundled()) {
                throw new StoreException(backup + " was written by a newer Lathe (schema version " + version + ", this one knows up to "
                        + SchemaVersion.bundled() + "): restore it with that Lathe", null);
            }
            return version;
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot read " + backup + ": " + e.getMessage(), e);
        }
    }

    /**
     * Keeps what {@code database} holds as a {@link Kind#BEFORE_RESTORE} copy: a consistent copy through SQLite (its
     * pending WAL included), or, when SQLite cannot read it, the files moved aside as they are. Empty when there is no
     * database.
     */
    private static Optional<Path> keepCurrent(Path database) throws IOException {
        if (!Files.exists(database)) return Optional.empty();
        Path kept = nameFor(database, Kind.BEFORE_RESTORE);
        if (Files.size(database) > 0 && DatabaseCheck.DatabaseHeader.read(database).isSqlite()) {
            try (Connection c = reader(database)) {
                copy(c, kept);
                return Optional.of(kept);
            } catch (SQLException e) {
                // damaged (the usual reason to restore): kept as the bytes it is, below
                Files.deleteIfExists(kept);
            }
        }
        Files.move(database, kept);
        for (String suffix : List.of("-wal", "-shm")) {
            Path companion = database.resolveSibling(database.getFileName() + suffix);
            if (Files.exists(companion)) Files.move(companion, kept.resolveSibling(kept.getFileName() + suffix));
        }
        return Optional.of(kept);
    }

    /**
     * A connection to read the database as it is now, pending WAL included, beside a server that writes it: callers
     * only read and {@code VACUUM INTO} another file through it (which {@code query_only} would refuse). A normal
     * connection rather than a read-only one so that, like every other, the last one to close removes the {@code -wal}
     * and {@code -shm} files (a read-only connection leaves them behind). A database of a newer Lathe is read without
     * writing anything ({@link SchemaVersion#openWithoutWriting}).
     */
    static Connection reader(Path database) throws SQLException, IOException {
        if (SchemaVersion.stored(database) > SchemaVersion.bundled()) return SchemaVersion.openWithoutWriting(database);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * {@code VACUUM INTO} a name of its own beside {@code to}, synced, then renamed to {@code to}: a copy that fails half
     * way leaves nothing under the final name.
     */
    private static void copy(Connection c, Path to) throws SQLException, IOException {
        Path partial = to.resolveSibling(to.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM INTO '" + partial.toString().replace("'", "''") + "'");
            }
            try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /**
     * Deletes the copies of {@code kind} beyond the newest {@link #KEPT}, counting {@code made} (the copy just made, or
     * null) first whatever its name says: with the clock set back since older copies were made, its time sorts it among
     * the oldest, and the copy the caller has just relied on would be the one deleted.
     */
    private static void prune(Path database, Kind kind, Path made) throws IOException {
        if (!kind.automatic()) return;
        List<Backup> others = of(database).stream().filter(b -> b.kind() == kind && !b.file().equals(made)).toList();
        int keptOthers = made == null ? KEPT : KEPT - 1;
        for (Backup old : others.subList(Math.min(keptOthers, others.size()), others.size())) {
            Files.deleteIfExists(old.file());
            for (String suffix : List.of("-wal", "-shm")) Files.deleteIfExists(old.file().resolveSibling(old.file().getFileName() + suffix));
        }
    }

    /**
     * {@code lathe.db.<UTC time>.<kind>.bak}, with a counter when another copy, of any kind, was made within the same
     * second: time and counter order every copy.
     */
    private static Path nameFor(Path database, Kind kind) {
        Path absolute = database.toAbsolutePath();
        String stamp = absolute.getFileName() + "." + STAMP.format(Instant.now());
        for (int n = 1; ; n++) {
            String prefix = n == 1 ? stamp : stamp + "-" + n;
            boolean taken = false;
            for (Kind k : Kind.values()) taken |= Files.exists(absolute.resolveSibling(prefix + "." + k.label() + ".bak"));
            if (!taken) return absolute.resolveSibling(prefix + "." + kind.label() + ".bak");
        }
    }

    private static Backup describe(Path file, Kind kind, Instant madeAt) throws IOException {
        OptionalInt version;
        try {
            version = OptionalInt.of(SchemaVersion.stored(file));
        } catch (IOException e) {
            version = OptionalInt.empty();
        }
        return new Backup(file, kind, madeAt, version, Files.size(file));
    }

    private static Kind kindOf(String label) {
        for (Kind k : Kind.values()) if (k.label().equals(label)) return k;
        throw new IllegalArgumentException(label);
    }

    private static void requireDatabase(Path database) {
        try {
            if (!Files.exists(database) || Files.size(database) == 0) throw new StoreException("no database at " + database + " yet", null);
        } catch (IOException e) {
            throw new StoreException("cannot read " + database + ": " + e.getMessage(), e);
        }
    }
}
