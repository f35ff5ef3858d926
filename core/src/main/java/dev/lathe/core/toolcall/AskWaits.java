package dev.lathe.core.toolcall;

import dev.lathe.tools.PermissionCheck;
import dev.lathe.tools.Permissions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tool call's permissions, timing how long its checks held it (an ask waits for the user): the call's recorded
 * duration is its run, not the minutes an ask waited (issue 53). The pipeline wraps every call's permissions in one and
 * tells its {@link PartRecorder} how long they held it ({@link PartRecorder#heldByAsks}), so the part's
 * {@code startedAt} is moved on by the wait and {@code endedAt - startedAt} is the time the call ran.
 */
final class AskWaits implements Permissions {
    private final Permissions inner;
    private final AtomicLong waitedMillis = new AtomicLong();

    AskWaits(Permissions inner) {
        this.inner = inner;
    }

    @Override
    public void require(PermissionCheck check) {
        long from = System.nanoTime();
        try {
            inner.require(check);
        } finally {
            waitedMillis.addAndGet((System.nanoTime() - from) / 1_000_000);
        }
    }

    @Override
    public boolean denies(PermissionCheck check) { return inner.denies(check); }

    @Override
    public void connecting(java.net.URI target) {
        long from = System.nanoTime();
        try {
            inner.connecting(target);
        } finally {
            waitedMillis.addAndGet((System.nanoTime() - from) / 1_000_000);
        }
    }

    /** How long the call's checks held it so far, in milliseconds. */
    long heldMillis() { return waitedMillis.get(); }
}
