package dev.lathe.core.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.store.StoreException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseLeaseTest {
    @TempDir Path tmp;

    /** The lock is per process, so the second user is a real second JVM. */
    @Test
    void repairRunsOnlyWhenNoOtherProcessUsesTheDatabase() throws Exception {
        Path db = tmp.resolve("lathe.db");
        int[] repairs = {0};
        try (var _ = DatabaseLease.take(db, () -> repairs[0]++)) {
            assertThat(repairs[0]).isEqualTo(1);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process other = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), Holder.class.getName(), db.toString())
                    .redirectErrorStream(true).start();
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(other.getInputStream().readAllBytes()).strip()).isEqualTo("repairs=0");
        }
        try (var _ = DatabaseLease.take(db, () -> repairs[0]++)) {
            assertThat(repairs[0]).isEqualTo(2);
        }
    }

    /** A start during a restore waits for it, then fails naming it: the file being replaced was never opened. */
    @Test
    void aStartDuringARestoreGivesUpNamingItWithoutOpeningTheFile() throws Exception {
        Path db = tmp.resolve("lathe.db");
        Db.open(db).close();
        byte[] before = java.nio.file.Files.readAllBytes(db);
        Process restore = RestoreStandIn.start(db);
        try {
            long started = System.nanoTime();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatabaseLease.open(db, _ -> { }, java.time.Duration.ofMillis(600)))
                    .isInstanceOf(StoreException.class).hasMessageContaining("lathe db restore").hasMessageContaining(db.toString());
            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(java.time.Duration.ofMillis(600).toNanos());
            assertThat(tmp.resolve("lathe.db-wal")).doesNotExist();
            assertThat(java.nio.file.Files.readAllBytes(db)).isEqualTo(before);
        } finally {
            RestoreStandIn.proceed(restore);
        }
        // the restore over, the next start opens the file and repairs it as its only user
        int[] repairs = {0};
        var opened = DatabaseLease.open(db, _ -> repairs[0]++);
        opened.db().close();
        opened.lease().close();
        assertThat(repairs[0]).isEqualTo(1);
    }

    /**
     * A second start in a process that holds the lease is refused, and the first keeps it: the refusal opens no second
     * channel on the lock file, whose closing would let go of the process's locks (they are the process's, not the
     * channel's).
     */
    @Test
    void aSecondStartInThisProcessIsRefusedAndTheFirstKeepsTheLease() throws Exception {
        Path db = tmp.resolve("lathe.db");
        try (var _ = DatabaseLease.take(db, () -> { })) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DatabaseLease.take(tmp.resolve(".").resolve("lathe.db"), () -> { }))
                    .isInstanceOf(StoreException.class).hasMessageContaining("open in this process already");
            assertThat(DatabaseLease.tryExclusive(db)).isEmpty();
            assertThat(RestoreAttempt.on(db)).isEqualTo("refused");
        }
        assertThat(RestoreAttempt.on(db)).isEqualTo("taken");
        try (var _ = DatabaseLease.take(db, () -> { })) {
            assertThat(RestoreAttempt.on(db)).as("taken again once let go").isEqualTo("refused");
        }
    }

    /** A second process taking the lease while the test holds it. */
    public static final class Holder {
        public static void main(String[] args) {
            int[] repairs = {0};
            try (var _ = DatabaseLease.take(Path.of(args[0]), () -> repairs[0]++)) {
                System.out.println("repairs=" + repairs[0]);
            }
        }
    }
}
