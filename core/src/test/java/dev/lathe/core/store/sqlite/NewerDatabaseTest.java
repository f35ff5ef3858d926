package dev.lathe.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database a newer Lathe wrote is refused with a message naming the file, its schema version and this Lathe's, and
 * is never written: its bytes and time stay as they were, and no {@code -wal}, {@code -shm} or lock file appears.
 */
class NewerDatabaseTest {
    @TempDir Path tmp;

    /** A sound database at this version with one session, then marked as a newer Lathe marks it, closed cleanly. */
    private Path newer(Path folder, String how) throws Exception {
        Path file = Files.createDirectories(folder).resolve("lathe.db");
        try (Db db = Db.open(file)) {
            db.update("INSERT INTO project(id, directory, created_at) VALUES ('prj_1', '/w', 1)");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            int future = Migrations.latestVersion() + 1;
            if (how.contains("header")) s.execute("PRAGMA user_version = " + future);
            if (how.contains("table")) s.execute("INSERT INTO schema_version(version, name, applied_at) VALUES (" + future + ", 'V" + future + "__x.sql', 1)");
        }
        // a second earlier: a write would move the file's time past this
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        return file;
    }

    private static List<String> names(Path folder) throws Exception {
        try (var files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNewerDatabaseIsRefusedNamingBothVersionsAndIsNotTouched() throws Exception {
        // a folder name that needs escaping in a SQLite URI
        Path folder = tmp.resolve("my data #1 ?");
        Path file = newer(folder, "header and table");
        byte[] bytes = Files.readAllBytes(file);
        FileTime time = Files.getLastModifiedTime(file);
        List<String> before = names(folder);

        int future = Migrations.latestVersion() + 1;
        assertThatThrownBy(() -> Db.open(file)).isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("newer Lathe (schema version " + future + ", this one knows up to " + Migrations.latestVersion() + ")")
                .hasMessageContaining("left untouched");

        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(time);
        assertThat(names(folder)).as("no -wal, -shm, lock or backup").isEqualTo(before).doesNotContain("lathe.db-wal", "lathe.db-shm");
    }

    @Test
    void aVersionOnlyItsSchemaTableNamesIsRefusedToo() throws Exception {
        Path file = newer(tmp, "table");
        byte[] bytes = Files.readAllBytes(file);
        assertThatThrownBy(() -> Db.open(file)).isInstanceOf(StoreException.class).hasMessageContaining("newer Lathe");
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(Files.exists(tmp.resolve("lathe.db-wal"))).isFalse();
    }

    @Test
    void aNewerDatabaseANewerServerHasOpenIsRefusedAndItsMainFileNotWritten() throws Exception {
        Path file = newer(tmp, "table");
        // the newer Lathe's server holds it open in WAL mode, with a write not yet checkpointed into the main file
        try (Connection server = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = server.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA wal_autocheckpoint=0");
            s.execute("INSERT INTO project(id, directory, created_at) VALUES ('prj_2', '/v', 2)");
            assertThat(Files.size(tmp.resolve("lathe.db-wal"))).isPositive();
            byte[] bytes = Files.readAllBytes(file);
            FileTime time = Files.getLastModifiedTime(file);

            assertThatThrownBy(() -> Db.open(file)).isInstanceOf(StoreException.class).hasMessageContaining("newer Lathe");

            assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
            assertThat(Files.getLastModifiedTime(file)).isEqualTo(time);
        }
    }

    @Test
    void theVersionIsReadWithoutWritingAnything() throws Exception {
        Path file = newer(tmp, "header");
        List<String> before = names(tmp);
        assertThat(SchemaVersion.stored(file)).isEqualTo(Migrations.latestVersion() + 1);
        assertThat(names(tmp)).isEqualTo(before);
        assertThat(SchemaVersion.stored(tmp.resolve("absent.db"))).isZero();
    }
}
