package dev.lathe.client;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Run in a fresh JVM by {@link ColdClientTest}: finds the server its {@code server.json} names, prints a marker,
 * then makes one client call, as a daemon-backed {@code lathe run} starts.
 */
final class ColdClientProbe {
    static final String FOUND = "probe: server found";

    public static void main(String[] args) {
        ServerEndpoint endpoint = ServerDiscovery.find(Path.of(args[0])).orElseThrow();
        System.out.println(FOUND);
        try (var client = HttpLatheClient.connect(endpoint, Optional.of("/tmp"))) {
            System.out.println("probe: healthy=" + client.health().healthy());
            try (var events = client.subscribe(new dev.lathe.protocol.api.EventFilter(Optional.of("/tmp"), Optional.empty()), 0, _ -> { })) {
                System.out.println("probe: subscribed");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
