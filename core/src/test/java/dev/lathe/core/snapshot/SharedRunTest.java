package dev.lathe.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedRunTest {
    @Test
    void callersThatAskWhileARunIsPendingShareTheNextAndALaterCallerGetsAFreshOne() throws Exception {
        var shared = new SharedRun<Integer>();
        var runs = new AtomicInteger();
        var inFirst = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        List<Integer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread first = Thread.ofVirtual().start(() -> answers.add(shared.get(() -> {
            inFirst.countDown();
            await(release);
            return runs.incrementAndGet();
        })));
        inFirst.await();
        // asked while run 1 was already under way: run 1 may predate them, so they share the next run
        List<Thread> later = new ArrayList<>();
        for (int i = 0; i < 8; i++) later.add(Thread.ofVirtual().start(() -> answers.add(shared.get(runs::incrementAndGet))));
        // all eight waiting: one for run 1 to end so it can start run 2, the others for run 2
        while (later.stream().anyMatch(t -> t.getState() != Thread.State.WAITING)) Thread.sleep(5);
        release.countDown();
        first.join();
        for (Thread t : later) t.join();

        assertThat(runs).hasValue(2);
        assertThat(answers).hasSize(9).containsOnly(1, 2).containsOnlyOnce(1);
        assertThat(shared.get(runs::incrementAndGet)).as("a caller after them all").isEqualTo(3);
    }

    @Test
    void aFailedRunFailsTheCallersSharingItAndTheNextCallerRunsAgain() {
        var shared = new SharedRun<String>();
        assertThatThrownBy(() -> shared.get(() -> {
            throw new IllegalStateException("git is gone");
        })).hasMessage("git is gone");
        assertThat(shared.get(() -> "## main")).isEqualTo("## main");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
