package dev.lathe.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.EventEnvelope;
import dev.lathe.protocol.wire.WireJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/** A tiny JDK HTTP server with per-test handlers; records every request's headers. */
final class StubServer implements AutoCloseable {
    /** What the stub saw of one request. */
    record Seen(String method, String uri, Optional<String> lastEventId, Optional<String> directory, Optional<String> authorization) {}

    final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    StubServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    void handle(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            var h = exchange.getRequestHeaders();
            requests.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Optional.ofNullable(h.getFirst("Last-Event-ID")), Optional.ofNullable(h.getFirst("X-Lathe-Directory")),
                    Optional.ofNullable(h.getFirst("Authorization"))));
            try {
                handler.handle(exchange);
            } finally {
                exchange.close();
            }
        });
    }

    URI url() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort()); }

    static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static OutputStream startEvents(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    static void event(OutputStream out, long seq, Event event) throws IOException {
        String data = WireJson.writeEnvelope(new EventEnvelope(seq, 1L, Optional.empty(), event));
        out.write(("id: " + seq + "\nevent: x\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
