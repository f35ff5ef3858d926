package dev.lathe.core.session.context;

import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Keeps an idle session's prompt cache alive while a client watches it (DESIGN §28, decisions 504 and 505): once its
 * last request has finished, the same request goes out again before the cache would expire, asking for a one-token
 * answer, so the provider reads (and refreshes) the whole cached prefix. It is that request byte for byte but for
 * {@code max_tokens}, so the prefix cannot break; its answer is dropped, never stored. At most {@code maxWarms} per pause,
 * and none once nobody watches: work that runs unattended never pays to keep a cache for nobody.
 *
 * <p>The timer and the TTL are given, so a test runs a pause in milliseconds on the real clock.
 */
public final class KeepWarm implements AutoCloseable {
    /** How a warm request goes out: in a session, through the spend ledger like any request (DESIGN §24). */
    public interface Sender {
        LlmEvent.Finished send(LlmRequest warm);
    }

    private final ScheduledExecutorService timer;
    private final Duration interval;
    private final int maxWarms;
    private Optional<ScheduledFuture<?>> pending = Optional.empty();
    private int sent;
    /** Which pause a timer belongs to: one from before the session's last request stops at once. */
    private long pause;

    /** Warm requests every {@code ttl} minus {@code margin} from the last use of the cache, at most {@code maxWarms} per pause. */
    public KeepWarm(ScheduledExecutorService timer, Duration ttl, Duration margin, int maxWarms) {
        if (!margin.isPositive() || margin.compareTo(ttl) >= 0) throw new IllegalArgumentException("the margin must be inside the TTL");
        this.timer = timer;
        this.interval = ttl.minus(margin);
        this.maxWarms = maxWarms;
    }

    /**
     * The session went idle after {@code last}: warm requests follow while {@code watched} says a client is attached and
     * its user active (asked again before each one). Returns whether any was planned: none for an unwatched session,
     * or for a request with extended thinking, whose budget follows {@code max_tokens} (a one-token answer would change
     * it, and with it the cached messages).
     */
    public synchronized boolean idle(LlmRequest last, BooleanSupplier watched, Sender sender) {
        cancel();
        sent = 0;
        if (maxWarms <= 0 || last.reasoning().isPresent() || !watched.getAsBoolean()) return false;
        schedule(warm(last), watched, sender, pause);
        return true;
    }

    /** A request of the session's own is about to go out (or the session closed): no warm request any more. */
    public synchronized void busy() {
        cancel();
    }

    /** How many warm requests went out since the session last went idle. */
    public synchronized int sent() { return sent; }

    /** {@code last} asking for one token: the same model, system, tools, messages and cache TTLs. */
    static LlmRequest warm(LlmRequest last) {
        return new LlmRequest(last.model(), last.system(), last.tools(), last.messages(), 1, last.toolChoice(), last.temperature(),
                last.cacheKey(), last.reasoning(), last.stableTtl());
    }

    private void schedule(LlmRequest warm, BooleanSupplier watched, Sender sender, long of) {
        pending = Optional.of(timer.schedule(() -> fire(warm, watched, sender, of), interval.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void fire(LlmRequest warm, BooleanSupplier watched, Sender sender, long of) {
        synchronized (this) {
            if (of != pause) return;
            if (sent >= maxWarms || !watched.getAsBoolean()) {
                pending = Optional.empty();
                return;
            }
            sent++;
        }
        // sent outside the lock: busy() must not wait for a provider's answer
        sender.send(warm);
        synchronized (this) {
            // the warm request refreshed the cache: the next one is due an interval from now
            if (of == pause && sent < maxWarms) schedule(warm, watched, sender, of);
            else if (of == pause) pending = Optional.empty();
        }
    }

    private void cancel() {
        pause++;
        pending.ifPresent(f -> f.cancel(false));
        pending = Optional.empty();
    }

    @Override
    public synchronized void close() {
        cancel();
    }
}
