package dev.lathe.app;

/**
 * One-time set-up a one-shot command starts on daemon threads before anything else, so it overlaps argument parsing
 * and opening the database instead of running on the main thread before the first model request: SQLite's native
 * library and date format ({@link dev.lathe.core.store.Db#warmUp}), and Jackson's databind start-up, which the first
 * mapper pays (≈40 ms, the largest single item before the first request).
 */
final class StartupWarmUp {
    private StartupWarmUp() {}

    static void start() {
        dev.lathe.core.store.Db.warmUp();
        Thread.ofPlatform().daemon().name("lathe-json-warm-up").start(() -> dev.lathe.protocol.wire.WireJson.write(java.util.Map.of()));
    }
}
