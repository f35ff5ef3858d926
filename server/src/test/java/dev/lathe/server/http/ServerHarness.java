package dev.lathe.server.http;

import dev.lathe.client.HttpLatheClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** A real server on a free loopback port over a {@link FakeLatheApi}, the real client, and raw HTTP helpers. */
final class ServerHarness implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789";
    static final String DIR = "/work/project";

    final FakeLatheApi api;
    final HttpApiServer server;
    final HttpLatheClient client;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ServerHarness() {
        this(ServerOptions.of(TOKEN, "9.9.9-test"));
    }

    ServerHarness(ServerOptions options) {
        this(options, Optional.empty());
    }

    /** {@code webLogins}: where the web logins are kept across restarts. */
    ServerHarness(ServerOptions options, Optional<java.nio.file.Path> webLogins) {
        api = new FakeLatheApi();
        server = HttpApiServer.start(api, options, webLogins);
        client = HttpLatheClient.connect(server.url(), TOKEN, Optional.of(DIR));
    }

    /** Over a server a test started itself over {@code api}. */
    ServerHarness(HttpApiServer server, FakeLatheApi api) {
        this.api = api;
        this.server = server;
        client = HttpLatheClient.connect(server.url(), TOKEN, Optional.of(DIR));
    }

    /** A request to {@code path} carrying the token. */
    HttpRequest.Builder request(String path) {
        return anonymous(path).header("Authorization", "Bearer " + TOKEN);
    }

    HttpRequest.Builder anonymous(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10));
    }

    HttpRequest.Builder postJson(String path, String json) {
        return request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Writes {@code request} verbatim over a fresh socket (HttpClient will not send a forged Host) and returns the reply. */
    String rawExchange(String request) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        client.close();
        http.shutdownNow();
        server.close();
    }
}
