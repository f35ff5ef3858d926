package dev.lathe.core.store.sqlite;

import java.util.concurrent.CountDownLatch;

/** Test aid: a store's writer thread held inside a write of its own, so what is written behind meanwhile stays queued. */
public final class HeldWriter {
    private HeldWriter() {}

    /** Blocks {@code db}'s writer thread until {@code release} counts down; returns once it is held. */
    public static void until(Db db, CountDownLatch release) throws InterruptedException {
        var holding = new CountDownLatch(1);
        db.writeBehind(_ -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        holding.await();
    }
}
