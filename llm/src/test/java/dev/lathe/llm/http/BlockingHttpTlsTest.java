package dev.lathe.llm.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.SelfSignedHttps;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blocking transport's TLS and proxies, against real servers on loopback: a certificate the client was told to
 * trust is accepted, one issued for another name is not (host names are verified), and a proxy is used as the JDK
 * client used it — the request itself for {@code http}, a {@code CONNECT} tunnel for {@code https}.
 */
class BlockingHttpTlsTest {
    @TempDir
    Path dir;

    /** A context that trusts exactly the certificate in the server's key store. */
    private SSLContext trusting(SelfSignedHttps.Flaw flaw) throws Exception {
        var keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("untrusted-" + flaw.name().toLowerCase(java.util.Locale.ROOT) + ".p12"))) {
            keys.load(in, "changeit".toCharArray());
        }
        var trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keys.getCertificate("server"));
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        var tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }

    private static HttpClient client(SSLContext tls, ProxySelector proxy) {
        var b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).sslContext(tls);
        return (proxy == null ? b : b.proxy(proxy)).build();
    }

    @Test
    void aTrustedCertificateCarriesTheExchangeAndConnectionsAreKept() throws Exception {
        try (var https = SelfSignedHttps.start(SelfSignedHttps.Flaw.SELF_SIGNED, dir)) {
            var transport = new SseTransport(client(trusting(SelfSignedHttps.Flaw.SELF_SIGNED), null));
            for (int n = 0; n < 3; n++) {
                var failure = (StreamOutcome.HttpFailure) BlockingHttpTest.post(transport, https.baseUrl() + "/chat").outcome();
                assertThat(failure.status()).isEqualTo(500);
                assertThat(failure.body()).contains("this server is not a provider");
            }
            assertThat(https.connections()).as("one TLS connection kept for all").isEqualTo(1);
        }
    }

    @Test
    void aTrustedCertificateForAnotherNameIsUntrusted() throws Exception {
        try (var https = SelfSignedHttps.start(SelfSignedHttps.Flaw.WRONG_HOST, dir)) {
            var outcome = BlockingHttpTest.post(new SseTransport(client(trusting(SelfSignedHttps.Flaw.WRONG_HOST), null)), https.baseUrl()).outcome();
            assertThat(outcome).isInstanceOf(StreamOutcome.Untrusted.class);
            assertThat(((StreamOutcome.Untrusted) outcome).detail()).contains("127.0.0.1");
        }
    }

    @Test
    void anUntrustedExpiredCertificateIsUntrustedWithTheDefaultTrust() throws Exception {
        try (var https = SelfSignedHttps.start(SelfSignedHttps.Flaw.EXPIRED, dir)) {
            var outcome = BlockingHttpTest.post(new SseTransport(client(DeferredTrust.context(), null)), https.baseUrl()).outcome();
            assertThat(outcome).isInstanceOf(StreamOutcome.Untrusted.class);
        }
    }

    @Test
    void anHttpsRequestGoesThroughTheProxysConnectTunnel() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        try (var https = SelfSignedHttps.start(SelfSignedHttps.Flaw.SELF_SIGNED, dir);
                var proxy = new RawHttpServer((srv, s, i) -> {
                    InputStream in = s.getInputStream();
                    var connect = srv.read(in);
                    asked.add(connect.line());
                    try (var upstream = new Socket("127.0.0.1", https.port())) {
                        RawHttpServer.write(s.getOutputStream(), "HTTP/1.1 200 Connection established\r\n\r\n");
                        Thread.ofVirtual().start(() -> pipe(upstream, s));
                        pipe(s, upstream);
                    }
                })) {
            var selector = ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port()));
            var transport = new SseTransport(client(trusting(SelfSignedHttps.Flaw.SELF_SIGNED), selector));
            var failure = (StreamOutcome.HttpFailure) BlockingHttpTest.post(transport, https.baseUrl() + "/chat").outcome();
            assertThat(failure.status()).isEqualTo(500);
            assertThat(asked).containsExactly("CONNECT 127.0.0.1:" + https.port() + " HTTP/1.1");
        }
    }

    @Test
    void anHttpRequestIsSentToTheProxyWithTheWholeUrl() throws Exception {
        try (var proxy = new RawHttpServer((srv, s, i) -> {
            srv.read(s.getInputStream());
            RawHttpServer.write(s.getOutputStream(), RawHttpServer.sizedEvents("via proxy", "[DONE]"));
        })) {
            var selector = ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port()));
            var transport = new SseTransport(client(DeferredTrust.context(), selector));
            var r = BlockingHttpTest.post(transport, "http://provider.invalid:8080/v1/chat?a=b");
            assertThat(r.payloads()).containsExactly("via proxy", "[DONE]");
            assertThat(proxy.requests.getFirst().line()).isEqualTo("POST http://provider.invalid:8080/v1/chat?a=b HTTP/1.1");
            assertThat(proxy.requests.getFirst().header("Host")).isEqualTo("provider.invalid:8080");
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
        } catch (Exception e) {
            // one side closed: the exchange is over
        }
    }
}
