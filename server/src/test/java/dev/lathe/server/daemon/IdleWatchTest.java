package dev.lathe.server.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdleWatchTest {
    final AtomicLong now = new AtomicLong(1_000);
    final AtomicBoolean inUse = new AtomicBoolean();
    final AtomicInteger fired = new AtomicInteger();

    IdleWatch watch(Duration limit) {
        return new IdleWatch(limit, inUse::get, fired::incrementAndGet, now::get, Executors.newSingleThreadScheduledExecutor());
    }

    @Test
    void firesOnceAfterTheLimitWithoutUse() {
        try (var watch = watch(Duration.ofSeconds(2))) {
            now.addAndGet(1_999);
            assertThat(watch.check()).isFalse();
            now.addAndGet(1);
            assertThat(watch.check()).isTrue();
            now.addAndGet(10_000);
            assertThat(watch.check()).isFalse();
            assertThat(fired).hasValue(1);
        }
    }

    @Test
    void useRestartsTheCount() {
        try (var watch = watch(Duration.ofSeconds(2))) {
            now.addAndGet(1_500);
            inUse.set(true);
            watch.check();
            inUse.set(false);
            now.addAndGet(1_500);
            assertThat(watch.check()).isFalse();
            now.addAndGet(500);
            assertThat(watch.check()).isTrue();
        }
    }

    @Test
    void aFailingProbeCountsAsUse() {
        var watch = new IdleWatch(Duration.ofMillis(10), () -> { throw new IllegalStateException("x"); }, fired::incrementAndGet, now::get,
                Executors.newSingleThreadScheduledExecutor());
        now.addAndGet(1_000);
        assertThat(watch.check()).isFalse();
        watch.close();
    }

    @Test
    void checksAreProportionateToTheLimit() {
        assertThat(IdleWatch.checkInterval(Duration.ofMinutes(30))).isEqualTo(Duration.ofSeconds(10));
        assertThat(IdleWatch.checkInterval(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(200));
        assertThat(IdleWatch.checkInterval(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(100));
    }
}
