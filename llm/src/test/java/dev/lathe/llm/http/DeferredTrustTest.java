package dev.lathe.llm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeferredTrustTest {
    @Test
    void aCertificateTheJdkDoesNotTrustIsRefusedExactlyAsByTheDefaultContext(@TempDir Path dir) throws Exception {
        HttpsServer server = selfSignedServer(dir);
        try {
            var request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/")).GET().build();
            try (HttpClient deferred = HttpClient.newBuilder().sslContext(DeferredTrust.context()).build();
                    HttpClient jdk = HttpClient.newBuilder().sslContext(SSLContext.getDefault()).build()) {
                // the handshake reaches the certificate check, which reads the trust store then and refuses the unknown issuer
                for (HttpClient client : List.of(deferred, jdk)) {
                    assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                            .isInstanceOf(SSLHandshakeException.class)
                            .hasMessageContaining("unable to find valid certification path");
                }
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void preloadingTwiceReadsTheStoreOnceAndTheContextStillChecks() {
        DeferredTrust.preload();
        DeferredTrust.preload();
        SSLContext context = DeferredTrust.context();
        assertThat(context.getProtocol()).isEqualTo("TLS");
        assertThat(context.getDefaultSSLParameters().getProtocols()).contains("TLSv1.3");
    }

    /** An HTTPS server on loopback with a fresh self-signed certificate made by the JDK's keytool. */
    private static HttpsServer selfSignedServer(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1", "-validity", "2")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        var factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "changeit".toCharArray());
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(factory.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
