package dev.lathe.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerDiscoveryTest {
    @TempDir Path tmp;

    private Path serverJson(String url, long pid) throws Exception {
        Path file = tmp.resolve("server.json");
        Files.writeString(file, "{\"url\":\"" + url + "\",\"token\":\"tok\",\"pid\":" + pid + ",\"version\":\"0.1.0\"}");
        return file;
    }

    @Test
    void findsALiveHealthyServer() throws Exception {
        try (var stub = new StubServer()) {
            stub.handle("/health", exchange -> StubServer.json(exchange, 200, "{\"healthy\":true,\"version\":\"0.1.0\"}"));
            long pid = ProcessHandle.current().pid();
            Path file = serverJson(stub.url().toString(), pid);
            assertThat(ServerDiscovery.find(file)).contains(new ServerEndpoint(stub.url().toString(), "tok", pid, "0.1.0"));
        }
    }

    @Test
    void aDeadPidMeansNoServer() throws Exception {
        var done = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-version").start();
        done.waitFor();
        try (var stub = new StubServer()) {
            stub.handle("/health", exchange -> StubServer.json(exchange, 200, "{\"healthy\":true,\"version\":\"0.1.0\"}"));
            assertThat(ServerDiscovery.find(serverJson(stub.url().toString(), done.pid()))).isEmpty();
            assertThat(stub.requests).isEmpty();
        }
    }

    @Test
    void aServerThatDoesNotAnswerInTimeMeansNoServer() throws Exception {
        try (var silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path file = serverJson("http://127.0.0.1:" + silent.getLocalPort(), ProcessHandle.current().pid());
            long start = System.nanoTime();
            assertThat(ServerDiscovery.find(file, Duration.ofMillis(300))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void missingOrMalformedFilesMeanNoServer() throws Exception {
        assertThat(ServerDiscovery.find(tmp.resolve("nope.json"))).isEmpty();
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{not json");
        assertThat(ServerDiscovery.find(bad)).isEmpty();
        Files.writeString(bad, "{\"url\":\"http://x\"}");
        assertThat(ServerDiscovery.read(bad)).isEmpty();
    }

    @Test
    void defaultPathFollowsXdgStateHome() {
        Path home = Path.of("/home/me");
        assertThat(ServerDiscovery.defaultPath(Map.of("XDG_STATE_HOME", "/state"), home)).isEqualTo(Path.of("/state/lathe/server.json"));
        assertThat(ServerDiscovery.defaultPath(Map.of("XDG_STATE_HOME", "relative"), home))
                .isEqualTo(Path.of("/home/me/.local/state/lathe/server.json"));
        assertThat(ServerDiscovery.defaultPath(Map.of(), home)).isEqualTo(Path.of("/home/me/.local/state/lathe/server.json"));
    }

    @Test
    void toStringHidesTheToken() {
        assertThat(new ServerEndpoint("http://x", "very-secret", 1, "1").toString()).doesNotContain("very-secret");
    }

    @Test
    void theTokenForAUrlIsTheGivenOneElseTheMatchingServerJsons() throws Exception {
        Path file = serverJson("http://127.0.0.1:4096", 1);
        var env = Map.of("LATHE_SERVER_TOKEN", "from-env");
        // the user's token wins even for the node of this machine: never silently the node's admin token (issue 52)
        assertThat(ServerDiscovery.tokenFor(java.net.URI.create("http://localhost:4096/"), file, env)).contains("from-env");
        assertThat(ServerDiscovery.tokenFor(java.net.URI.create("http://localhost:4096/"), file, Map.of())).contains("tok");
        assertThat(ServerDiscovery.tokenFor(java.net.URI.create("http://localhost:4096/"), file, Map.of("LATHE_SERVER_TOKEN", " "))).contains("tok");
        assertThat(ServerDiscovery.tokenFor(java.net.URI.create("http://127.0.0.1:4097"), file, env)).contains("from-env");
        assertThat(ServerDiscovery.tokenFor(java.net.URI.create("https://box.example:4096"), file, Map.of())).isEmpty();
        assertThat(ServerDiscovery.tokenFor(java.net.URI.create("http://127.0.0.1:4096"), tmp.resolve("none.json"), Map.of())).isEmpty();
    }
}
