package dev.lathe.core.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.config.Config;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NetworkPolicyTest {
    private static final NetworkPolicy LOCAL = new NetworkPolicy(Config.NetworkMode.LOCAL, Set.of("lab"));

    @Test
    void loopbackIsDecidedFromTheTextAloneAndANameIsNeverLookedUp() {
        for (String host : new String[] {"localhost", "LOCALHOST", "localhost.", "127.0.0.1", "127.1.2.3", "[::1]", "::1", "[::ffff:127.0.0.1]"}) {
            assertThat(Loopback.is(host)).as(host).isTrue();
        }
        // a name that resolves to loopback (here or by someone's DNS) is not trusted: it could answer otherwise later
        for (String host : new String[] {"localhost.example.com", "127.0.0.1.nip.io", "my-laptop", "192.0.2.1", "10.0.0.1", "[::2]", "0.0.0.0", "x.invalid"}) {
            assertThat(Loopback.is(host)).as(host).isFalse();
        }
        assertThat(Loopback.is(URI.create("file:///etc/passwd"))).isFalse();
    }

    @Test
    void localAllowsLoopbackForEverythingButTheCatalogAndANamedProviderAnywhere() {
        URI loop = URI.create("http://127.0.0.1:8080/x");
        URI far = URI.create("https://192.0.2.1/v1");
        assertThat(LOCAL.allows(Purpose.tool("webfetch"), loop)).isTrue();
        assertThat(LOCAL.allows(Purpose.tool("webfetch"), far)).isFalse();
        assertThat(LOCAL.allows(Purpose.mcp("docs"), far)).isFalse();
        assertThat(LOCAL.allows(Purpose.hook("Stop"), far)).isFalse();
        assertThat(LOCAL.allows(Purpose.catalog(), loop)).as("no catalog refresh at all").isFalse();
        assertThat(LOCAL.allows(Purpose.provider("ollama"), loop)).isTrue();
        assertThat(LOCAL.allows(Purpose.provider("lab"), far)).as("its baseUrl is written in the config").isTrue();
        assertThat(LOCAL.allows(Purpose.provider("openai"), far)).isFalse();
        assertThat(LOCAL.allows(Purpose.mcp("lab"), far)).as("a provider's host is for its model requests only").isFalse();
        assertThat(NetworkPolicy.OPEN.allows(Purpose.catalog(), far)).isTrue();
    }

    @Test
    void aProviderIsNamedWhenTheConfigWritesItsBaseUrlNotJustItsKey() {
        var withUrl = new Config.ProviderConfig("lab", Optional.of("openai-chat"), Optional.of("https://gpu.lab.example/v1"), Optional.empty(),
                java.util.Map.of(), java.util.Map.of());
        var keyOnly = new Config.ProviderConfig("openai", Optional.empty(), Optional.empty(), Optional.of("sk"), java.util.Map.of(), java.util.Map.of());
        assertThat(Set.of(withUrl, keyOnly).stream().filter(p -> p.baseUrl().isPresent()).map(Config.ProviderConfig::id)).containsExactly("lab");
    }

    @Test
    void eachBlockedAttemptIsRecordedOnceAndTheRecordIsBounded() {
        var told = new java.util.ArrayList<BlockedConnections.Blocked>();
        var log = new BlockedConnections(Optional.empty(), told::add);
        var gate = new OutboundGate(LOCAL, "/p", log);
        URI far = URI.create("https://192.0.2.1/page");
        assertThat(gate.allows(Purpose.tool("webfetch"), far)).isFalse();
        assertThat(gate.allows(Purpose.tool("webfetch"), URI.create("https://192.0.2.1/other"))).isFalse();
        assertThat(gate.allows(Purpose.mcp("docs"), far)).isFalse();
        assertThat(told).extracting(BlockedConnections.Blocked::by).containsExactly("webfetch", "mcp docs");
        for (int i = 0; i < BlockedConnections.MAX + 10; i++) gate.allows(Purpose.tool("webfetch"), URI.create("https://h" + i + ".invalid/"));
        assertThat(log.all()).hasSize(BlockedConnections.MAX);
        assertThat(gate.refusal(Purpose.provider("openai"), far)).contains("local-only mode", "provider openai", "192.0.2.1",
                "provider.openai.baseUrl", "nothing was sent");
    }
    @Test
    void concurrentRefusalsAllReachTheFileLatheDoctorReads(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path file = BlockedConnections.fileIn(tmp);
        var log = new BlockedConnections(Optional.of(file), _ -> { });
        int threads = 8;
        int each = BlockedConnections.MAX / threads;
        for (int round = 0; round < 5; round++) {
            var start = new java.util.concurrent.CountDownLatch(1);
            final int r = round;
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
                for (int t = 0; t < threads; t++) {
                    final int thread = t;
                    pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < each; i++) log.record("/p", Purpose.tool("webfetch"), URI.create("https://h" + r + "-" + thread + "-" + i + ".invalid/"));
                        return null;
                    });
                }
                start.countDown();
            }
            // the last write holds the newest list: an older snapshot written after it would lose entries
            assertThat(BlockedConnections.read(file)).as("round " + round).containsExactlyElementsOf(log.all());
        }
    }
}
