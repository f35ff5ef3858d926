package dev.lathe.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.store.StoreException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real damage to a real database file (pages overwritten, the file cut short, garbage instead of a database): the open
 * checks it, moves it aside whole and never deletes it, creates a fresh database and says so naming both paths. A
 * database of a newer Lathe is never moved.
 */
class DamagedDatabaseTest {
    @TempDir Path tmp;

    /** A database with some sessions' worth of rows, closed and checkpointed so everything is in the main file. */
    private Path populated() throws Exception {
        Path file = tmp.resolve("lathe.db");
        try (Db db = Db.open(file)) {
            db.update("CREATE TABLE filler (n INTEGER PRIMARY KEY, body TEXT)");
            db.update("CREATE INDEX filler_body ON filler(body)");
            db.write(c -> {
                try (var ps = c.prepareStatement("INSERT INTO filler(body) VALUES (?)")) {
                    for (int i = 0; i < 2000; i++) {
                        ps.setString(1, "row " + i + " " + "x".repeat(200));
                        ps.executeUpdate();
                    }
                }
                return null;
            });
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return file;
    }

    @Test
    void overwrittenPagesAreFoundMovedAsideAndAFreshDatabaseIsCreated() throws Exception {
        Path file = populated();
        byte[] original = Files.readAllBytes(file);
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            // page size 4096: garbage over the middle of the file, where the table's and the index's pages are
            raf.seek(original.length / 2 - 8192);
            raf.write("garbage!".repeat(2048).getBytes(StandardCharsets.US_ASCII));
        }
        byte[] damaged = Files.readAllBytes(file);

        try (Db db = Db.open(file)) {
            assertThat(db.query("SELECT COUNT(*) FROM schema_version", rs -> rs.getInt(1)).getFirst()).isPositive();
            assertThat(db.query("SELECT name FROM sqlite_master WHERE name = 'filler'", rs -> rs.getString(1))).isEmpty();
        }
        List<Path> aside = DamagedDatabase.movedAside(file);
        assertThat(aside).singleElement().satisfies(p -> {
            assertThat(p.getFileName().toString()).startsWith("lathe.db.corrupt-");
            assertThat(Files.readAllBytes(p)).as("moved, byte for byte").isEqualTo(damaged);
        });
        List<String> notices = DamagedDatabase.takeNotices(file);
        assertThat(notices).singleElement().satisfies(n -> assertThat(n).contains(file.toString()).contains(aside.getFirst().toString()));
        assertThat(DamagedDatabase.takeNotices(file)).as("said once").isEmpty();
    }

    @Test
    void aFileCutShortIsMovedAside() throws Exception {
        Path file = populated();
        long size = Files.size(file);
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size / 3);
        }
        Db.open(file).close();
        assertThat(DamagedDatabase.movedAside(file)).singleElement().satisfies(p -> assertThat(Files.size(p)).isEqualTo(size / 3));
        assertThat(DamagedDatabase.takeNotices(file)).singleElement().asString().contains("damaged");
    }

    @Test
    void aFileThatIsNoDatabaseIsMovedAsideWithItsWalAndShm() throws Exception {
        Path file = tmp.resolve("lathe.db");
        Files.writeString(file, "these are my notes, not a database\n".repeat(300));
        Files.writeString(tmp.resolve("lathe.db-wal"), "wal");
        Files.writeString(tmp.resolve("lathe.db-shm"), "shm");

        try (Db db = Db.open(file)) {
            db.update("INSERT INTO project(id, directory, created_at) VALUES ('p', '/w', 1)");
        }
        Path aside = DamagedDatabase.movedAside(file).getFirst();
        assertThat(Files.readString(aside)).startsWith("these are my notes");
        assertThat(Files.readString(aside.resolveSibling(aside.getFileName() + "-wal"))).isEqualTo("wal");
        assertThat(Files.readString(aside.resolveSibling(aside.getFileName() + "-shm"))).isEqualTo("shm");
        assertThat(DamagedDatabase.takeNotices(file)).singleElement().asString().contains("not a SQLite database").contains(aside.toString());
    }

    @Test
    void aSoundDatabaseIsLeftAsItIsAndSaysNothing() throws Exception {
        Path file = populated();
        Db.open(file).close();
        assertThat(DamagedDatabase.movedAside(file)).isEmpty();
        assertThat(DamagedDatabase.takeNotices(file)).isEmpty();
        try (Db db = Db.open(file)) {
            assertThat(db.query("SELECT COUNT(*) FROM filler", rs -> rs.getInt(1))).containsExactly(2000);
        }
    }

    @Test
    void aDamagedDatabaseOfANewerLatheIsNeverMoved() throws Exception {
        Path file = populated();
        int newer = Migrations.latestVersion() + 1;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + newer);
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(Files.size(file) / 3);
        }
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> Db.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining("newer Lathe").hasMessageContaining("schema version " + newer).hasMessageContaining(file.toString());
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(DamagedDatabase.movedAside(file)).isEmpty();
    }

    @Test
    void theSchemaVersionIsKeptInTheHeader() throws Exception {
        Path file = tmp.resolve("lathe.db");
        Db.open(file).close();
        assertThat(DatabaseCheck.DatabaseHeader.read(file).userVersion()).isEqualTo(Migrations.latestVersion());
    }

    @Test
    void aDamagedDatabaseAnotherProcessHoldsIsLeftAlone() throws Exception {
        Path file = populated();
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(Files.size(file) / 3);
        }
        // the lease every Lathe process holds while it uses the database (here: this process, as another would)
        try (var lease = DatabaseLease.take(file, () -> { })) {
            assertThatThrownBy(() -> Db.open(file)).isInstanceOf(StoreException.class).hasMessageContaining("another Lathe process");
            // finding that out did not let go of the lease (a lock is the process's: closing any channel on it would)
            assertThat(RestoreAttempt.on(file)).isEqualTo("refused");
        }
        assertThat(DamagedDatabase.movedAside(file)).isEmpty();
    }

    /**
     * A start that finds the file damaged moves it aside under its own exclusive lease, and keeps that lease: a file
     * lock belongs to the process, and closing any channel on the lock file would let go of all of it, so a
     * {@code lathe db restore} could replace the database under the migrations and the repair that follow.
     */
    @Test
    void movingAsideUnderTheStartsLeaseKeepsARestoreOut() throws Exception {
        Path file = populated();
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(Files.size(file) / 3);
        }
        String[] duringRepair = {null};
        var opened = DatabaseLease.open(file, _ -> duringRepair[0] = RestoreAttempt.on(file));
        try {
            assertThat(DamagedDatabase.movedAside(file)).as("moved aside by this start").hasSize(1);
            assertThat(duringRepair[0]).as("a restore tried while the start repairs").isEqualTo("refused");
            assertThat(RestoreAttempt.on(file)).as("a restore tried while the start uses the database").isEqualTo("refused");
        } finally {
            opened.db().close();
            opened.lease().close();
        }
        assertThat(RestoreAttempt.on(file)).as("the lease let go: a restore may now").isEqualTo("taken");
    }
}
