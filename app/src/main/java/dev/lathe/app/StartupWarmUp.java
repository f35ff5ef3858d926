package dev.lathe.app;

/**
 * One-time set-up a one-shot command starts on daemon threads before anything else, so it overlaps argument parsing
 * and opening the database instead of running on the main thread before the first model request: SQLite's native
 * library and date format ({@link dev.lathe.core.store.Db#warmUp}), and Jackson's databind start-up with the
 * serializers of sessions, messages and parts ({@link dev.lathe.protocol.wire.WireWarmUp}), which the first write of
 * each otherwise paid on the main thread (≈0.1 s for the first session alone).
 */
final class StartupWarmUp {
    private StartupWarmUp() {}

    static void start() {
        dev.lathe.core.store.Db.warmUp();
        Thread.ofPlatform().daemon().name("lathe-json-warm-up").start(dev.lathe.protocol.wire.WireWarmUp::run);
    }
}
