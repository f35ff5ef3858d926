package dev.lathe.mcp.oauth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The world, for a test: an HTTP client whose requests to anything but 127.0.0.1 go to a listener on loopback that
 * counts connections and answers nothing. A regression that sends a request off the machine reaches nobody, and shows.
 */
final class OffMachine implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger connections = new AtomicInteger();

    OffMachine() throws IOException {
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try (var socket = listener.accept()) {
                    connections.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    int connections() { return connections.get(); }

    HttpClient client() {
        var proxy = new Proxy(Proxy.Type.HTTP, listener.getLocalSocketAddress());
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).proxy(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of("127.0.0.1".equals(uri.getHost()) ? Proxy.NO_PROXY : proxy);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) { }
        }).build();
    }

    /** Local-only mode as the core decides it, reduced to the test's one loopback address; every target asked is kept. */
    static OutboundCheck loopbackOnly(List<URI> asked) {
        return (server, target) -> {
            asked.add(target);
            return "127.0.0.1".equals(target.getHost()) ? java.util.Optional.empty()
                    : java.util.Optional.of("local-only mode: mcp " + server + " sign-in would connect to " + target.getHost());
        };
    }

    @Override
    public void close() throws IOException { listener.close(); }
}
