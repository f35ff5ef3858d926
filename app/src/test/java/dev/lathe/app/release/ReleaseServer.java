package dev.lathe.app.release;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A release download site on loopback: {@code /latest/VERSION} and {@code /V/FILE}, laid out as docs/install.md says.
 * Files can be served cut short (the full length announced, half the bytes sent), and every request is recorded.
 */
final class ReleaseServer implements AutoCloseable {
    static final String PLATFORM = "linux-x64";

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Set<String> truncated = ConcurrentHashMap.newKeySet();
    final List<String> requests = new CopyOnWriteArrayList<>();

    ReleaseServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            byte[] body = files.get(path);
            try (exchange) {
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, body.length);
                OutputStream out = exchange.getResponseBody();
                if (truncated.contains(path)) {
                    // closed with bytes still owed: the server drops the connection, the client sees the body end early
                    out.write(body, 0, body.length / 2);
                    out.flush();
                    return;
                }
                out.write(body);
            }
        });
        server.start();
    }

    String base() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    /** Publishes {@code archive} as release {@code version} for this test's platform, with its SHA256SUMS line. */
    ReleaseServer publish(String version, byte[] archive) {
        String name = "lathe-" + version + "-" + PLATFORM + ".tar.gz";
        files.put("/" + version + "/" + name, archive);
        files.put("/" + version + "/SHA256SUMS", (sha256(archive) + "  " + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    ReleaseServer publish(String version) { return publish(version, TarWriter.release(version).gzipped()); }

    ReleaseServer latest(String version) {
        files.put("/latest/VERSION", (version + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    ReleaseServer put(String path, byte[] body) {
        files.put(path, body);
        return this;
    }

    ReleaseServer cutShort(String path) {
        truncated.add(path);
        return this;
    }

    static String archiveName(String version) { return "lathe-" + version + "-" + PLATFORM + ".tar.gz"; }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() { server.stop(0); }
}
