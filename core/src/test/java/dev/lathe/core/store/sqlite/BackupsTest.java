package dev.lathe.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.store.StoreException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups beside the database on real files: the copy before a migration (the newest three kept, a user's own never
 * deleted), {@code lathe db backup} while the database is open and written, {@code lathe db check}, and
 * {@code lathe db restore}, which keeps what it replaces, leaves no {@code -wal} or {@code -shm} of it behind and
 * refuses, changing nothing, while another Lathe process has the database open or when the backup is no good.
 */
class BackupsTest {
    @TempDir Path tmp;

    private Path database(String... projects) {
        Path file = tmp.resolve("lathe.db");
        try (Db db = Db.open(file)) {
            for (String p : projects) db.update("INSERT INTO project(id, directory, created_at) VALUES (?, ?, 1)", "prj_" + p, "/" + p);
        }
        return file;
    }

    private static List<String> projects(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT directory FROM project ORDER BY directory")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }

    /** Sets the database back one schema version, as a Lathe before the last migration left it. */
    private static void oneVersionBack(Path file) {
        try (Db db = Db.open(file)) {
            db.update("DELETE FROM schema_version WHERE version = ?", Migrations.latestVersion());
            db.update("PRAGMA user_version = " + (Migrations.latestVersion() - 1));
        }
    }

    @Test
    void eachUpgradeIsBackedUpAndOnlyTheNewestThreeAutomaticCopiesStay() throws Exception {
        Path file = database("a");
        // what a Lathe before decision 118 left: lathe.db.v<N>.bak, older than everything below
        Path legacy = tmp.resolve("lathe.db.v5.bak");
        Files.copy(Backups.backup(file, Optional.of(tmp.resolve("first.db"))), legacy);
        Files.setLastModifiedTime(legacy, FileTime.fromMillis(1_000_000_000_000L));
        Path manual = Backups.backup(file, Optional.empty());

        List<Path> made = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            oneVersionBack(file);
            Db.open(file).close();
            Backups.Backup newest = Backups.of(file).getFirst();
            assertThat(newest.kind()).isEqualTo(Backups.Kind.UPGRADE);
            assertThat(newest.schemaVersion()).hasValue(Migrations.latestVersion() - 1);
            assertThat(made).doesNotContain(newest.file());
            made.add(newest.file());
        }

        List<Backups.Backup> now = Backups.of(file);
        assertThat(now).filteredOn(b -> b.kind() == Backups.Kind.UPGRADE).extracting(Backups.Backup::file)
                .containsExactly(made.get(3), made.get(2), made.get(1));
        assertThat(legacy).doesNotExist();
        assertThat(made.getFirst()).doesNotExist();
        assertThat(now).filteredOn(b -> b.kind() == Backups.Kind.MANUAL).extracting(Backups.Backup::file).containsExactly(manual);
        assertThat(projects(made.get(3))).containsExactly("/a");
    }

    @Test
    void aStrayFileNamedAlmostLikeACopyIsNeitherListedNorAReasonForTheUpgradeToFail() throws Exception {
        Path file = database("a");
        Path badMonth = Files.writeString(tmp.resolve("lathe.db.20241340T000000Z.upgrade.bak"), "not ours");
        Path badCounter = Files.writeString(tmp.resolve("lathe.db.20240101T000000Z-99999999999.before-restore.bak"), "not ours");
        oneVersionBack(file);
        // the migration's copy prunes the copies of its kind, which lists them: the stray names must not throw there
        Db.open(file).close();
        assertThat(Backups.of(file)).extracting(Backups.Backup::file).hasSize(1).doesNotContain(badMonth, badCounter);
        assertThat(badMonth).exists();
        assertThat(badCounter).exists();
    }

    @Test
    void theCopyJustMadeIsKeptWhenTheClockWentBackSinceTheOthers() throws Exception {
        Path file = database("a");
        // three upgrade copies stamped in the future: made before the clock was set back (or by a clock that was wrong)
        List<Path> future = new ArrayList<>();
        for (String stamp : List.of("20990101T000000Z", "20990102T000000Z", "20990103T000000Z")) {
            future.add(Backups.backup(file, Optional.of(tmp.resolve("lathe.db." + stamp + ".upgrade.bak"))));
        }
        oneVersionBack(file);
        Db.open(file).close();
        List<Path> upgrades = Backups.of(file).stream().filter(b -> b.kind() == Backups.Kind.UPGRADE).map(Backups.Backup::file).toList();
        List<Path> made = upgrades.stream().filter(p -> !future.contains(p)).toList();
        // the copy taken before this migration stays, and it is the oldest "future" one that makes room for it
        assertThat(made).hasSize(1).allSatisfy(p -> assertThat(p).exists());
        assertThat(Backups.of(file).stream().filter(b -> b.file().equals(made.getFirst())).findFirst().orElseThrow().schemaVersion())
                .hasValue(Migrations.latestVersion() - 1);
        assertThat(upgrades).hasSize(Backups.KEPT).contains(future.get(2), future.get(1));
        assertThat(future.getFirst()).doesNotExist();
    }

    @Test
    void aBackupWhileTheDatabaseIsOpenAndWrittenIsConsistentAndComplete() throws Exception {
        Path file = tmp.resolve("lathe.db");
        try (Db db = Db.open(file)) {
            db.update("CREATE TABLE filler (n INTEGER PRIMARY KEY, body TEXT)");
            for (int batch = 0; batch < 5; batch++) {
                db.write(c -> {
                    try (var ps = c.prepareStatement("INSERT INTO filler(body) VALUES (?)")) {
                        for (int i = 0; i < 200; i++) {
                            ps.setString(1, "x".repeat(100));
                            ps.executeUpdate();
                        }
                    }
                    return null;
                });
            }
            // committed but still in the WAL: the backup must carry it
            assertThat(Files.size(tmp.resolve("lathe.db-wal"))).isPositive();
            Path copy = Backups.backup(file, Optional.of(tmp.resolve("copy.db")));

            assertThat(copy).isEqualTo(tmp.resolve("copy.db"));
            assertThat(IntegrityCheck.problems(copy)).isEmpty();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy); Statement s = c.createStatement();
                    var rs = s.executeQuery("SELECT COUNT(*) FROM filler")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1000);
            }
            db.update("INSERT INTO filler(body) VALUES ('still writable')");
            assertThatThrownBy(() -> Backups.backup(file, Optional.of(copy))).isInstanceOf(StoreException.class).hasMessageContaining("exists already");
        }
        assertThatThrownBy(() -> Backups.backup(tmp.resolve("none.db"), Optional.empty())).hasMessageContaining("no database at");
    }

    @Test
    void checkSaysTheVersionTheSessionsAndWhatIsDamaged() throws Exception {
        Path file = tmp.resolve("lathe.db");
        try (Db db = Db.open(file)) {
            db.update("INSERT INTO project(id, directory, created_at) VALUES ('prj_1', '/w', 1)");
            for (String s : List.of("ses_1", "ses_2")) {
                db.update("INSERT INTO session(id, project_id, directory, created_at, updated_at, data) VALUES (?, 'prj_1', '/w', 1, 1, '{}')", s);
            }
            // while the database is open: a read beside the writer
            IntegrityCheck.Report report = IntegrityCheck.of(file);
            assertThat(report.intact()).isTrue();
            assertThat(report.schemaVersion()).isEqualTo(Migrations.latestVersion());
            assertThat(report.bundledVersion()).isEqualTo(Migrations.latestVersion());
            assertThat(report.sessions()).hasValue(2);
        }

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
        long size = Files.size(file);
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(size / 2 - 8192);
            raf.write("garbage!".repeat(2048).getBytes(StandardCharsets.US_ASCII));
        }
        IntegrityCheck.Report damaged = IntegrityCheck.of(file);
        assertThat(damaged.intact()).isFalse();
        assertThat(damaged.problems()).isNotEmpty();
        assertThatThrownBy(() -> IntegrityCheck.of(tmp.resolve("none.db"))).hasMessageContaining("no database at");
    }

    @Test
    void restoreBringsABackupBackKeepsWhatItReplacedAndLeavesNoWalOfIt() throws Exception {
        Path file = database("a");
        Path backup = Backups.backup(file, Optional.empty());
        // later work, and a crash: a committed write still in the -wal beside the database
        Path crashed = Files.createDirectories(tmp.resolve("crashed"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("INSERT INTO project(id, directory, created_at) VALUES ('prj_b', '/b', 2)");
            for (String name : List.of("lathe.db", "lathe.db-wal")) Files.copy(tmp.resolve(name), crashed.resolve(name));
        }
        for (String name : List.of("lathe.db", "lathe.db-wal")) Files.move(crashed.resolve(name), tmp.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(tmp.resolve("lathe.db-wal"))).isPositive();

        Backups.Restored restored = Backups.restore(file, backup);

        assertThat(restored.schemaVersion()).isEqualTo(Migrations.latestVersion());
        assertThat(tmp.resolve("lathe.db-wal")).doesNotExist();
        assertThat(tmp.resolve("lathe.db-shm")).doesNotExist();
        assertThat(projects(file)).containsExactly("/a");
        Path kept = restored.keptAt().orElseThrow();
        assertThat(projects(kept)).as("the replaced database, its WAL included").containsExactly("/a", "/b");
        assertThat(Backups.of(file)).extracting(Backups.Backup::file).contains(kept, backup);
        assertThat(backup).exists();
        try (Db db = Db.open(file)) {
            assertThat(db.query("SELECT directory FROM project", rs -> rs.getString(1))).containsExactly("/a");
        }
    }

    @Test
    void restoreIsRefusedWhileAnotherLatheProcessHasTheDatabaseOpen() throws Exception {
        Path file = database("a");
        Path backup = Backups.backup(file, Optional.empty());
        byte[] before = Files.readAllBytes(file);
        // the lease every Lathe process using the database holds (here this process, as another would)
        try (var lease = DatabaseLease.take(file, () -> { })) {
            assertThatThrownBy(() -> Backups.restore(file, backup)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("another Lathe process").hasMessageContaining("nothing was changed");
            // finding that out did not let go of the lease (a lock is the process's: closing any channel on it would)
            assertThat(RestoreAttempt.on(file)).isEqualTo("refused");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(Backups.of(file)).extracting(Backups.Backup::kind).containsExactly(Backups.Kind.MANUAL);
        assertThat(tmp.resolve("lathe.db.restoring")).doesNotExist();
    }

    @Test
    void aDamagedDatabaseIsKeptAsItIsWhenABackupReplacesIt() throws Exception {
        Path file = database("a");
        Path backup = Backups.backup(file, Optional.empty());
        Files.writeString(file, "no longer a database\n".repeat(500));
        byte[] damaged = Files.readAllBytes(file);

        Backups.Restored restored = Backups.restore(file, backup);

        assertThat(Files.readAllBytes(restored.keptAt().orElseThrow())).isEqualTo(damaged);
        assertThat(projects(file)).containsExactly("/a");
    }

    @Test
    void aBackupThatIsDamagedForeignOrOfANewerLatheIsRefusedAndNothingChanges() throws Exception {
        Path file = database("a");
        byte[] before = Files.readAllBytes(file);

        Path garbage = Files.writeString(tmp.resolve("garbage.bak"), "not sqlite");
        assertThatThrownBy(() -> Backups.restore(file, garbage)).hasMessageContaining("not a SQLite database");

        Path cut = Backups.backup(file, Optional.of(tmp.resolve("cut.bak")));
        try (var raf = new RandomAccessFile(cut.toFile(), "rw")) {
            raf.setLength(Files.size(cut) / 2);
        }
        assertThatThrownBy(() -> Backups.restore(file, cut)).hasMessageContaining("is damaged");

        Path foreign = tmp.resolve("foreign.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (body TEXT)");
        }
        assertThatThrownBy(() -> Backups.restore(file, foreign)).hasMessageContaining("not a Lathe database");

        Path newer = Backups.backup(file, Optional.of(tmp.resolve("newer.bak")));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + newer); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = " + (Migrations.latestVersion() + 1));
        }
        assertThatThrownBy(() -> Backups.restore(file, newer)).hasMessageContaining("newer Lathe");

        assertThatThrownBy(() -> Backups.restore(file, tmp.resolve("absent.bak"))).hasMessageContaining("no backup at");
        assertThatThrownBy(() -> Backups.restore(file, file)).hasMessageContaining("is the database itself");

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(Backups.of(file)).isEmpty();
    }
}
