package dev.lathe.app;

import dev.lathe.client.ServerDiscovery;
import dev.lathe.protocol.wire.WireWarmUp;

/**
 * One-time set-up a one-shot command starts on daemon threads before anything else, so it overlaps argument parsing
 * and opening the database instead of running on the main thread before the first model request: SQLite's native
 * library and date format ({@link dev.lathe.core.store.Db#warmUp}), and Jackson's databind start-up with the
 * serializers of sessions, messages and parts ({@link WireWarmUp}), which the first write of each otherwise paid on
 * the main thread (≈0.1 s for the first session alone).
 *
 * <p>When the user's server is running (its {@code server.json} names a live process, the test {@code bin/lathe} makes
 * too), the command will be its client: then no database opens here, and what is warmed is the client's side of the
 * wire (requests, answers and a turn's events).
 */
final class StartupWarmUp {
    private StartupWarmUp() {}

    static void start() {
        Thread.ofPlatform().daemon().name("lathe-json-warm-up").start(() -> {
            if (serverRunning()) {
                WireWarmUp.client();
                return;
            }
            dev.lathe.core.store.Db.warmUp();
            WireWarmUp.run();
        });
    }

    private static boolean serverRunning() {
        return ServerDiscovery.read(ServerDiscovery.defaultPath(Backends.env(), Backends.home()))
                .flatMap(server -> ProcessHandle.of(server.pid())).map(ProcessHandle::isAlive).orElse(false);
    }
}
