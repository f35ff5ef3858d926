package dev.lathe.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.store.StoreException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {
    @TempDir Path tmp;

    @Test
    void aQueuedWriteCommitsBeforeEveryWriteQueuedAfterItAndItsFutureCompletesFirst() throws Exception {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            db.update("CREATE TABLE t (n INTEGER)");
            var gate = new CountDownLatch(1);
            List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<Void> slow = db.writeBehind(c -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                try (var s = c.createStatement()) {
                    s.execute("INSERT INTO t VALUES (1)");
                }
                return null;
            }).thenRun(() -> seen.add("behind committed"));
            assertThat(slow).as("returned before the write ran").isNotDone();
            Thread later = Thread.ofVirtual().start(() -> {
                db.update("INSERT INTO t VALUES (2)");
                seen.add("later committed");
            });
            gate.countDown();
            later.join();
            slow.join();
            assertThat(seen).containsExactly("behind committed", "later committed");
            assertThat(db.query("SELECT n FROM t ORDER BY rowid", rs -> rs.getInt(1))).containsExactly(1, 2);
        }
    }

    @Test
    void aFailedWriteRollsBackReportsItsFailureAndTheWriterGoesOn() {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            db.update("CREATE TABLE t (n INTEGER)");
            CompletableFuture<Object> failed = db.writeBehind(c -> {
                try (var s = c.createStatement()) {
                    s.execute("INSERT INTO t VALUES (1)");
                }
                throw new AssertionError("broken write");
            });
            assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class).hasRootCauseMessage("broken write");
            assertThatThrownBy(() -> db.update("INSERT INTO nowhere VALUES (1)")).isInstanceOf(StoreException.class);
            db.update("INSERT INTO t VALUES (3)");
            assertThat(db.query("SELECT n FROM t", rs -> rs.getInt(1))).containsExactly(3);
        }
    }

    @Test
    void writesQueuedTogetherShareOneTransactionAndAFailingOneIsUndoneAlone() throws Exception {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            db.update("CREATE TABLE t (n INTEGER)");
            var running = new CountDownLatch(1);
            var gate = new CountDownLatch(1);
            // holds the writer thread inside its own batch, so the next three are queued behind it and taken as one
            CompletableFuture<Object> first = db.writeBehind(c -> {
                running.countDown();
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            });
            // until the writer runs it, the first write could be taken together with the ones queued next
            running.await();
            CompletableFuture<Object> second = db.writeBehind(c -> insert(c, 2));
            CompletableFuture<Object> failing = db.writeBehind(c -> {
                insert(c, 3);
                throw new java.sql.SQLException("constraint failed");
            });
            CompletableFuture<Long> fourth = db.writeBehind(c -> {
                insert(c, 4);
                // a reader does not see the second write yet: it is in this same, uncommitted transaction
                return db.query("SELECT COUNT(*) FROM t WHERE n = 2", rs -> rs.getLong(1)).getFirst();
            });
            gate.countDown();
            first.join();
            second.join();
            assertThat(fourth.join()).isZero();
            assertThatThrownBy(failing::join).hasRootCauseMessage("constraint failed");
            assertThat(db.query("SELECT n FROM t ORDER BY n", rs -> rs.getInt(1))).containsExactly(2, 4);
        }
    }

    private static Object insert(java.sql.Connection c, int n) throws java.sql.SQLException {
        try (var s = c.createStatement()) {
            s.execute("INSERT INTO t VALUES (" + n + ")");
        }
        return null;
    }
}
