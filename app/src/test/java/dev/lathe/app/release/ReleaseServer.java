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
public final class ReleaseServer implements AutoCloseable {
    /** What the scripts run by ScriptRun see (its fake uname); archives are published for this machine's platform too. */
    public static final String PLATFORM = "linux-x64";

    private final HttpServer server;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Set<String> truncated = ConcurrentHashMap.newKeySet();
    public final List<String> requests = new CopyOnWriteArrayList<>();

    public ReleaseServer() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    /** The site on {@code address} (an IPv4 address of this machine that is not loopback, for local-only tests). */
    public ReleaseServer(InetAddress address) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, 0), 0);
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

    public String base() { return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort(); }

    /** An IPv4 address of this machine that is not loopback (a site there is "not on this machine" to local-only mode), if any. */
    public static java.util.Optional<InetAddress> notLoopback() throws IOException {
        return java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()).findFirst();
    }

    /**
     * Publishes {@code archive} as release {@code version} for linux-x64 and this machine's platform (what a script run by
     * {@code lathe upgrade} sees), with their SHA256SUMS lines.
     */
    public ReleaseServer publish(String version, byte[] archive) {
        var sums = new StringBuilder();
        for (String platform : new java.util.TreeSet<>(List.of(PLATFORM, hostPlatform()))) {
            String name = "lathe-" + version + "-" + platform + ".tar.gz";
            files.put("/" + version + "/" + name, archive);
            sums.append(sha256(archive)).append("  ").append(name).append('\n');
        }
        files.put("/" + version + "/SHA256SUMS", sums.toString().getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** This machine's platform in the releases' naming. */
    static String hostPlatform() {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("mac") ? "darwin" : "linux";
        String arch = System.getProperty("os.arch");
        return os + "-" + (arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x64");
    }

    public ReleaseServer publish(String version) { return publish(version, TarWriter.release(version).gzipped()); }

    public ReleaseServer latest(String version) {
        files.put("/latest/VERSION", (version + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public ReleaseServer put(String path, byte[] body) {
        files.put(path, body);
        return this;
    }

    public ReleaseServer cutShort(String path) {
        truncated.add(path);
        return this;
    }

    public static String archiveName(String version) { return "lathe-" + version + "-" + PLATFORM + ".tar.gz"; }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() { server.stop(0); }
}
