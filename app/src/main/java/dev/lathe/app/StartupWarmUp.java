package dev.lathe.app;

import dev.lathe.client.ServerDiscovery;
import dev.lathe.protocol.wire.WireWarmUp;
import dev.lathe.server.LatheServer;

/**
 * One-time set-up a one-shot command starts on daemon threads before anything else, so it overlaps argument parsing
 * and opening the database instead of running on the main thread before the first model request: SQLite's native
 * library and date format ({@link LatheServer#warmUpEmbedded}), and Jackson's databind start-up with the
 * serializers of sessions, messages and parts ({@link WireWarmUp}), which the first write of each otherwise paid on
 * the main thread (≈0.1 s for the first session alone).
 *
 * <p>When the user's server is running (its {@code server.json} names a live process, the test {@code bin/lathe} makes
 * too), the command will be its client: no database opens here, and nothing is warmed. Warming the client's side of
 * the wire (its requests, answers and a turn's events) was measured too and gained nothing: its ~0.3 s of cold Jackson
 * work only competes with the main thread for the two cores (A/B, 7 runs each: wall 0.479 and 0.486 s, first request
 * 0.233 and 0.228 s, CPU 0.49 and 0.45 s with and without).
 */
final class StartupWarmUp {
    private StartupWarmUp() {}

    static void start() {
        Thread.ofPlatform().daemon().name("lathe-json-warm-up").start(() -> {
            if (serverRunning()) return;
            LatheServer.warmUpEmbedded();
            WireWarmUp.run();
        });
    }

    private static boolean serverRunning() {
        return ServerDiscovery.read(ServerDiscovery.defaultPath(Backends.env(), Backends.home()))
                .flatMap(server -> ProcessHandle.of(server.pid())).map(ProcessHandle::isAlive).orElse(false);
    }
}
