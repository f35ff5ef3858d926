package dev.lathe.testkit;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS server on 127.0.0.1 whose certificate no client trusts: made at start with the JDK's {@code keytool} —
 * self-signed, issued for another host name, or expired. It counts the TLS connections clients open (a client that
 * rejects the certificate never sends a request), so a test can tell how often a client tried.
 */
public final class SelfSignedHttps implements AutoCloseable {
    /** What is wrong with the certificate. */
    public enum Flaw {
        /** Signed by itself, for 127.0.0.1 and localhost. */
        SELF_SIGNED,
        /** Self-signed and issued for {@code other.example} only. */
        WRONG_HOST,
        /** Self-signed, for 127.0.0.1, and expired yesterday. */
        EXPIRED
    }

    private final HttpsServer server;
    private final AtomicInteger connections;

    private SelfSignedHttps(HttpsServer server, AtomicInteger connections) {
        this.server = server;
        this.connections = connections;
    }

    /** Starts a server whose certificate has {@code flaw}; {@code folder} holds the key store. */
    public static SelfSignedHttps start(Flaw flaw, Path folder) {
        try {
            Path store = folder.resolve("untrusted-" + flaw.name().toLowerCase(java.util.Locale.ROOT) + ".p12");
            Files.deleteIfExists(store);
            keytool(flaw, store);
            var keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, "changeit".toCharArray());
            }
            var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "changeit".toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            var connections = new AtomicInteger();
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    connections.incrementAndGet();
                    params.setSSLParameters(getSSLContext().getDefaultSSLParameters());
                }
            });
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = "{\"error\":{\"message\":\"this server is not a provider\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(500, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return new SelfSignedHttps(server, connections);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot start the HTTPS server", e);
        }
    }

    private static void keytool(Flaw flaw, Path store) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit", "-dname", "CN=" + (flaw == Flaw.WRONG_HOST ? "other.example" : "localhost"),
                "-ext", flaw == Flaw.WRONG_HOST ? "san=dns:other.example" : "san=ip:127.0.0.1,dns:localhost"));
        if (flaw == Flaw.EXPIRED) command.addAll(List.of("-startdate", "-3d", "-validity", "1"));
        else command.addAll(List.of("-validity", "2"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("keytool failed: " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** {@code https://127.0.0.1:PORT/v1}: the base URL a provider config takes. */
    public String baseUrl() { return "https://127.0.0.1:" + server.getAddress().getPort() + "/v1"; }

    public int port() { return server.getAddress().getPort(); }

    /** TLS connections clients opened so far (each attempt opens one). */
    public int connections() { return connections.get(); }

    @Override
    public void close() { server.stop(0); }
}
