package dev.lathe.core.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.Config;
import dev.lathe.core.store.SpendStore.Spent;
import dev.lathe.core.store.sqlite.Db;
import dev.lathe.core.store.sqlite.SqliteStorage;
import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's admission is atomic: requests of one subagent tree admitted at once, on their own threads, reserve
 * against the same limit one after the other, so no more are sent than the limit holds; a settled response is held
 * until its step is written, and then released.
 */
class SpendLedgerConcurrencyTest {
    @TempDir Path tmp;

    @Test
    void parallelRequestsOfOneTreeReserveAtomicallyAgainstItsLimit() throws Exception {
        try (Db db = Db.open(tmp.resolve("lathe.db")); var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var storage = SqliteStorage.over(db);
            var parent = session(storage, Optional.empty());
            var budgets = new Budgets(storage.spend());
            var limits = new Config.LimitsConfig(Config.LimitsConfig.DEFAULT_MAX_ANSWER_BYTES, new Config.SpendCap(0, 10_000), Config.SpendCap.NONE,
                    Config.SpendCap.NONE);
            AtomicInteger asked = new AtomicInteger();
            SpendLedger.Asker stop = (_, _) -> {
                asked.incrementAndGet();
                return Optional.of(new MessageError("limit", "stopped"));
            };
            var start = new CountDownLatch(1);
            List<Future<SpendLedger.Admission>> admissions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                var child = session(storage, Optional.of(parent.id()));
                var payer = new SpendLedger.Payer(child, MessageId.next(), () -> limits, () -> new Budgets.InFlight(MessageId.next(), List.of()));
                admissions.add(pool.submit(() -> {
                    start.await();
                    return budgets.ledger().admit(payer, new Spent(0, 3_000), stop);
                }));
            }
            start.countDown();
            List<SpendLedger.Reservation> admitted = new ArrayList<>();
            for (var f : admissions) if (f.get() instanceof SpendLedger.Admission.Admitted a) admitted.add(a.reservation());

            assertThat(admitted).as("3 × 3,000 fit in 10,000; a fourth would pass it").hasSize(3);
            assertThat(asked).hasValue(5);

            // a response settles with what it consumed (more than estimated): held until its step is written
            admitted.getFirst().settle(new Spent(0, 6_000));
            var late = new SpendLedger.Payer(session(storage, Optional.of(parent.id())), MessageId.next(), () -> limits,
                    () -> new Budgets.InFlight(MessageId.next(), List.of()));
            assertThat(budgets.ledger().admit(late, new Spent(0, 1), stop)).isInstanceOf(SpendLedger.Admission.Refused.class);
            var written = new java.util.concurrent.CompletableFuture<Void>();
            admitted.getFirst().releaseWhen(written);
            assertThat(budgets.ledger().admit(late, new Spent(0, 1), stop)).as("not yet written: still held").isInstanceOf(SpendLedger.Admission.Refused.class);
            written.complete(null);
            for (int i = 0; i < 200 && budgets.ledger().admit(late, new Spent(0, 1_000), stop) instanceof SpendLedger.Admission.Refused; i++) Thread.sleep(5);
            admitted.get(1).close();
            admitted.get(2).close();
            assertThat(budgets.ledger().admit(late, new Spent(0, 1), stop)).as("released (the store holds no step here)")
                    .isInstanceOf(SpendLedger.Admission.Admitted.class);
        }
    }

    @Test
    void aSettledAmountIsNeverNegative() throws Exception {
        try (Db db = Db.open(tmp.resolve("lathe.db"))) {
            var storage = SqliteStorage.over(db);
            var s = session(storage, Optional.empty());
            var budgets = new Budgets(storage.spend());
            var limits = new Config.LimitsConfig(Config.LimitsConfig.DEFAULT_MAX_ANSWER_BYTES, new Config.SpendCap(0, 10_000), Config.SpendCap.NONE,
                    Config.SpendCap.NONE);
            SpendLedger.Asker stop = (_, _) -> Optional.of(new MessageError("limit", "stopped"));
            var other = new SpendLedger.Payer(s, MessageId.next(), () -> limits, () -> new Budgets.InFlight(MessageId.next(), List.of()));
            budgets.ledger().admit(other, new Spent(0, 9_000), stop);
            var small = ((SpendLedger.Admission.Admitted) budgets.ledger().admit(other, new Spent(0, 500), stop)).reservation();
            // a response whose figures came out negative (a broken proxy's usage) holds nothing, never less than nothing
            small.settle(new Spent(-1_000_000, -1_000_000));
            var next = new SpendLedger.Payer(s, MessageId.next(), () -> limits, () -> new Budgets.InFlight(MessageId.next(), List.of()));
            assertThat(budgets.ledger().admit(next, new Spent(0, 2_000), stop)).isInstanceOf(SpendLedger.Admission.Refused.class);
        }
    }

    private static Session session(SqliteStorage storage, Optional<SessionId> parent) {
        var session = new Session(SessionId.next(), storage.projects().idFor("/p"), "/p", parent, "t", "build", "a/b", 1, 1, Optional.empty(), Usage.ZERO, 0,
                Optional.empty());
        storage.sessions().insert(session);
        return session;
    }
}
