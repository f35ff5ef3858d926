package dev.lathe.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * HTTP clients for a server reached over plain HTTP (the local daemon always is) skip the JDK's TLS set-up: building
 * a client with the default TLS context parses the JDK trust store (0.1–0.2 s of CPU on a cold JVM) although such a
 * client never makes a TLS connection. Its context trusts no certificate at all, so it could not be misused for one.
 * A server reached over HTTPS (a remote server behind a TLS proxy) gets the JDK's default context, unchanged.
 */
final class PlainHttp {
    private PlainHttp() {}

    /** {@code builder}, with a context that refuses every certificate when {@code server} is a plain-HTTP address. */
    static HttpClient.Builder forServer(HttpClient.Builder builder, URI server) {
        if (!"http".equalsIgnoreCase(server.getScheme())) return builder;
        try {
            SSLContext none = SSLContext.getInstance("TLS");
            none.init(null, new TrustManager[] {new TrustsNothing()}, null);
            return builder.sslContext(none);
        } catch (GeneralSecurityException e) {
            return builder;  // the default context works too, only slower to build
        }
    }

    private static final class TrustsNothing implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a plain-HTTP client trusts no certificate");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a plain-HTTP client trusts no certificate");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
