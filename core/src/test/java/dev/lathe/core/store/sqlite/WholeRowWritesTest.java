package dev.lathe.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.store.jdbc.Database;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes of one row whole queued into one batch are folded into the newest ({@link Db#writeBehindWhole}): the row
 * ends as unfolded, every future completes after the commit in its queued order, a write of another kind between
 * them sees the earlier state, and a failing newest write lets the earlier ones run after all.
 */
class WholeRowWritesTest {
    @TempDir Path tmp;
    private Db db;
    private final CountDownLatch release = new CountDownLatch(1);
    /** The values each write set, in the order the writer ran them. */
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    /** The futures' completions, in order: "value" or "value failed". */
    private final List<String> told = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void open() {
        db = Db.open(tmp.resolve("lathe.db"));
        db.update("CREATE TABLE t (id TEXT PRIMARY KEY, v TEXT NOT NULL)");
    }

    @AfterEach
    void close() {
        release.countDown();
        db.close();
    }

    @Test
    void laterWritesOfARowQueuedTogetherStandForTheEarlierOnesWhichCompleteAfterTheCommitInOrder() throws Exception {
        HeldWriter.until(db, release);
        var futures = List.of(set("a", "pending"), set("b", "other"), set("a", "running"), set("a", "completed"));
        release.countDown();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();

        assertThat(ran).as("only the newest write of each row ran").containsExactly("other", "completed");
        assertThat(told).containsExactly("pending", "other", "running", "completed");
        assertThat(rows()).containsExactly("a=completed", "b=other");
    }

    @Test
    void aWriteOfAnotherKindBetweenTwoWritesOfARowSeesTheEarlierOne() throws Exception {
        HeldWriter.until(db, release);
        var first = set("a", "pending");
        CompletableFuture<List<String>> read = db.writeBehind(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT v FROM t WHERE id = 'a'")) {
                return rs.next() ? List.of(rs.getString(1)) : List.<String>of();
            }
        });
        var second = set("a", "completed");
        release.countDown();
        CompletableFuture.allOf(first, read, second).join();

        assertThat(read.join()).as("what a write queued between them reads").containsExactly("pending");
        assertThat(ran).containsExactly("pending", "completed");
        assertThat(rows()).containsExactly("a=completed");
    }

    @Test
    void whenTheNewestWriteOfARowFailsTheEarlierOnesRunAfterAllAndTheRowHoldsTheLastOfThem() throws Exception {
        HeldWriter.until(db, release);
        var pending = set("a", "pending");
        var running = set("a", "running");
        CompletableFuture<Void> broken = db.writeBehindWhole("t a", c -> {
            try (var s = c.createStatement()) {
                s.execute("INSERT INTO t VALUES ('a', 'half') ON CONFLICT(id) DO UPDATE SET v = excluded.v");
            }
            throw new IllegalStateException("broken write");
        });
        broken.whenComplete((_, e) -> told.add(e == null ? "broken" : "broken failed"));
        release.countDown();
        assertThatThrownBy(broken::join).isInstanceOf(CompletionException.class).hasRootCauseMessage("broken write");
        CompletableFuture.allOf(pending, running).join();

        assertThat(rows()).as("as unfolded: the failing write undone alone").containsExactly("a=running");
        assertThat(told).containsExactly("pending", "running", "broken failed");
    }

    @Test
    void writesOfARowInSeparateBatchesAreEachWritten() {
        set("a", "pending").join();
        set("a", "completed").join();
        assertThat(ran).containsExactly("pending", "completed");
        assertThat(rows()).containsExactly("a=completed");
    }

    /** Queues a whole-row upsert of {@code id} to {@code value}, recording when it runs and when its caller hears. */
    private CompletableFuture<Void> set(String id, String value) {
        CompletableFuture<Void> written = db.writeBehindWhole("t " + id, c -> {
            try (var ps = Database.prepare(c, "INSERT INTO t VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET v = excluded.v", id, value)) {
                ps.executeUpdate();
            }
            ran.add(value);
            return null;
        });
        // a future completing before the commit would let its caller announce a state no reader can see yet
        return written.whenComplete((_, e) -> {
            assertThat(committed(id)).as("committed when " + value + " is told").isNotEmpty();
            told.add(e == null ? value : value + " failed");
        });
    }

    /** The row's value as another connection sees it: committed only. */
    private List<String> committed(String id) {
        return db.query("SELECT v FROM t WHERE id = ?", rs -> rs.getString(1), id);
    }

    private List<String> rows() {
        return db.query("SELECT id || '=' || v FROM t ORDER BY id", rs -> rs.getString(1));
    }
}
