package dev.lathe.server.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeapTrimTest {
    final AtomicLong now = new AtomicLong(1_000);
    final AtomicBoolean busy = new AtomicBoolean();
    final AtomicLong used = new AtomicLong(20L << 20);
    final AtomicInteger collections = new AtomicInteger();
    /** What a full collection leaves: the live set. */
    final long live = 20L << 20;

    HeapTrim trim() {
        return new HeapTrim(busy::get, used::get, () -> {
            collections.incrementAndGet();
            used.set(live);
        }, now::get, Executors.newSingleThreadScheduledExecutor());
    }

    void work(long grownBy) {
        busy.set(true);
        used.addAndGet(grownBy);
    }

    @Test
    void collectsOnceWhenWorkHasBeenQuietForTwoSecondsAndTheHeapGrew() {
        try (var trim = trim()) {
            work(HeapTrim.BUSY_SLACK - 1);  // past the quiet slack, short of the busy one
            assertThat(trim.check()).as("busy").isFalse();
            busy.set(false);
            now.addAndGet(1_999);
            assertThat(trim.check()).as("quiet for less than two seconds").isFalse();
            now.addAndGet(1);
            assertThat(trim.check()).isTrue();
            assertThat(collections).hasValue(1);
            now.addAndGet(60_000);
            used.addAndGet(40L << 20);  // an idle server's own garbage: no work came, so no second collection
            assertThat(trim.check()).isFalse();
            assertThat(collections).hasValue(1);
        }
    }

    @Test
    void anIdleServerNeverCollects() {
        try (var trim = trim()) {
            used.addAndGet(100L << 20);
            for (int i = 0; i < 10; i++) {
                now.addAndGet(5_000);
                assertThat(trim.check()).isFalse();
            }
            assertThat(collections).hasValue(0);
        }
    }

    @Test
    void workThatLeftLittleBehindIsNotCollected() {
        try (var trim = trim()) {
            work(HeapTrim.SLACK - 1);
            trim.check();
            busy.set(false);
            now.addAndGet(3_000);
            assertThat(trim.check()).isFalse();
            assertThat(collections).hasValue(0);
            // the next burst adds to what the last one left
            work(2);
            trim.check();
            busy.set(false);
            now.addAndGet(3_000);
            assertThat(trim.check()).isTrue();
        }
    }

    @Test
    void workRestartsTheQuietCount() {
        try (var trim = trim()) {
            work(HeapTrim.BUSY_SLACK - 1);  // past the quiet slack, short of the busy one
            trim.check();
            busy.set(false);
            now.addAndGet(1_500);
            assertThat(trim.check()).isFalse();
            busy.set(true);
            assertThat(trim.check()).isFalse();
            busy.set(false);
            now.addAndGet(1_500);
            assertThat(trim.check()).as("1.5 s since the last work").isFalse();
            now.addAndGet(500);
            assertThat(trim.check()).isTrue();
        }
    }

    @Test
    void aServerNeverQuietCollectsWhenTheHeapHoldsTheBusySlackPastTheLiveSet() {
        try (var trim = trim()) {
            work(HeapTrim.BUSY_SLACK - 1);
            assertThat(trim.check()).isFalse();
            used.addAndGet(1);
            assertThat(trim.check()).isTrue();
            assertThat(collections).hasValue(1);
            assertThat(trim.check()).as("back at the live set").isFalse();
        }
    }

    @Test
    void theRealOldGenerationIsWhatIsMeasured() {
        // this JVM's collector names its old pool (surefire's default collector or the serial one of bin/lathe)
        long before = HeapTrim.oldGenerationUsed().getAsLong();
        assertThat(before).isNotNegative();
        assertThat(before).isLessThanOrEqualTo(Runtime.getRuntime().totalMemory());
    }

    @Test
    void aGrowingLiveSetMakesBusyCollectionsRarerNotOneEveryCheck() {
        var live = new AtomicLong(100L << 20);
        try (var trim = new HeapTrim(busy::get, used::get, () -> {
            collections.incrementAndGet();
            used.set(live.get());
        }, now::get, Executors.newSingleThreadScheduledExecutor())) {
            busy.set(true);
            used.set(100L << 20);
            trim.check();
            // the live set is 100 MB (what a full collection leaves): 24 MB more is not enough to collect again
            used.addAndGet(HeapTrim.BUSY_SLACK + 1);
            assertThat(trim.check()).isFalse();
            used.set(200L << 20);
            assertThat(trim.check()).as("twice the live set").isTrue();
        }
    }

    @Test
    void aThrowingBusyCheckCountsAsBusy() {
        try (var trim = new HeapTrim(() -> { throw new IllegalStateException("closed"); }, used::get, collections::incrementAndGet, now::get,
                Executors.newSingleThreadScheduledExecutor())) {
            used.addAndGet(HeapTrim.BUSY_SLACK - 1);
            now.addAndGet(10_000);
            assertThat(trim.check()).isFalse();
            assertThat(collections).hasValue(0);
        }
    }
}
