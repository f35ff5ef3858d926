package dev.lathe.client;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ClientEnvironment;
import dev.lathe.protocol.api.CreateSessionRequest;
import dev.lathe.protocol.api.EventFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Run in a fresh JVM by {@link ColdClientTest}: finds the server its {@code server.json} names, prints a marker,
 * then makes the calls a daemon-backed {@code lathe run} makes before its prompt and while its turn runs, then one more.
 */
final class ColdClientProbe {
    static final String FOUND = "probe: server found";
    static final String BEFORE_PROMPT = "probe: ready to prompt";
    static final String RUN_READ = "probe: the run's reads done";
    /** server.connected, a tool part, a delta (ColdClientTest's stream). */
    static final int EVENTS = 3;

    public static void main(String[] args) {
        // what is loaded is checked here, not how fast: a JVM with no AOT cache pays its first lambdas and sockets in
        // this health check, more than its 300 ms on a loaded machine
        ServerEndpoint endpoint = ServerDiscovery.find(Path.of(args[0]), Duration.ofSeconds(10)).orElseThrow();
        System.out.println(FOUND);
        // as a daemon-backed `lathe run` connects: its shell's config variables go with the session it creates
        var shell = new ClientEnvironment(Map.of("LATHE_CONFIG_CONTENT", "{\"model\":\"p/m\"}", "OPENAI_API_KEY", "sk-probe"));
        try (var client = HttpLatheClient.connect(endpoint, Optional.of("/tmp")).withEnvironment(shell)) {
            // what it asks before its prompt: the folder's trust, then a new session
            System.out.println("probe: trusted=" + client.trust("/tmp").trusted());
            System.out.println("probe: session=" + client.createSession(CreateSessionRequest.in("/tmp")).id().value());
            System.out.println(BEFORE_PROMPT);
            // what it reads while the turn runs: its events, the polls of its status and of asks opened before it subscribed
            var read = new CountDownLatch(EVENTS);
            try (var events = client.subscribe(new EventFilter(Optional.of("/tmp"), Optional.empty()), 0, _ -> read.countDown())) {
                System.out.println("probe: subscribed");
                System.out.println("probe: events read=" + read.await(10, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            System.out.println("probe: status=" + client.status(new SessionId("ses_cold")) + " asks=" + client.permissions("/tmp").size()
                    + "," + client.questions("/tmp").size());
            System.out.println(RUN_READ);
            System.out.println("probe: healthy=" + client.health().healthy());
        }
    }
}
