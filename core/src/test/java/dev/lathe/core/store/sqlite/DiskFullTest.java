package dev.lathe.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.store.StoreException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SQLITE_FULL: {@code PRAGMA max_page_count} caps the file the writer may grow, so an insert past it fails as
 * on a full disk. The failure names the folder and says the disk is full, the failed transaction rolls back, what was
 * committed before stays, and writing works again once there is room.
 */
class DiskFullTest {
    @TempDir Path tmp;

    private static void capAt(Db db, int extraPages) {
        db.write(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("PRAGMA page_count")) {
                rs.next();
                int pages = rs.getInt(1);
                s.execute("PRAGMA max_page_count = " + (pages + extraPages));
            }
            return null;
        });
    }

    @Test
    void aWriteWithNoRoomSaysTheDiskIsFullAndLosesNothingCommittedBefore() {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            db.update("CREATE TABLE t (n INTEGER, body TEXT)");
            db.update("INSERT INTO t VALUES (1, 'kept')");
            capAt(db, 2);

            String big = "x".repeat(64 * 1024);
            assertThatThrownBy(() -> db.write(c -> {
                try (var ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
                    ps.setInt(1, 2);
                    ps.setString(2, "first half of a transaction");
                    ps.executeUpdate();
                    ps.setInt(1, 3);
                    ps.setString(2, big);
                    ps.executeUpdate();
                }
                return null;
            })).isInstanceOfSatisfying(StoreException.DiskFull.class, e -> {
                assertThat(e.getMessage()).contains("disk holding " + tmp).contains("is full");
                assertThat(e.folder()).isEqualTo(tmp);
            });

            assertThat(db.query("SELECT n FROM t ORDER BY n", rs -> rs.getInt(1))).as("rolled back whole; earlier rows kept").containsExactly(1);

            // queued writes that share the failing batch all hear of it, and the writer thread lives on
            CompletableFuture<Object> behind = db.writeBehind(c -> {
                try (var ps = c.prepareStatement("INSERT INTO t VALUES (4, ?)")) {
                    ps.setString(1, big);
                    ps.executeUpdate();
                }
                return null;
            });
            assertThatThrownBy(behind::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(StoreException.DiskFull.class);
            db.update("INSERT INTO t VALUES (5, 'small')");

            // room again: the very same connection writes what failed before
            capAt(db, 10_000);
            db.update("INSERT INTO t VALUES (6, ?)", big);
            assertThat(db.query("SELECT n FROM t ORDER BY n", rs -> rs.getInt(1))).containsExactly(1, 5, 6);
            assertThat(db.query("PRAGMA integrity_check", rs -> rs.getString(1))).containsExactly("ok");
        }
    }
}
