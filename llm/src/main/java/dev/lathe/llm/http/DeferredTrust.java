package dev.lathe.llm.http;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A TLS context whose trust store (the JDK's, or {@code javax.net.ssl.trustStore}) is read when the first certificate
 * is checked, not when the HTTP client is built. Reading and parsing it is ~0.1–0.2 s of CPU on a cold JVM: a one-shot
 * run against a plain-HTTP endpoint (a local model server, our benchmarks' fake model) never needs it, and one against
 * an HTTPS provider starts it in the background as soon as the model is resolved ({@link #preload}), well before the
 * request. Certificates are checked by the JDK's own trust manager, unchanged.
 */
public final class DeferredTrust {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final CompletableFuture<X509ExtendedTrustManager> DEFAULT = new CompletableFuture<>();

    private DeferredTrust() {}

    /**
     * A client context that trusts what the JDK's default context trusts. With {@code javax.net.ssl.keyStore} set
     * (client certificates) it is the JDK's default context itself, which is the one that reads it.
     */
    public static SSLContext context() {
        try {
            if (System.getProperty("javax.net.ssl.keyStore") != null) return SSLContext.getDefault();
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Deferred()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** Starts reading the trust store on a background thread, once; returns at once. */
    public static void preload() {
        if (STARTED.compareAndSet(false, true)) Thread.ofPlatform().daemon().name("lathe-trust-store").start(DeferredTrust::load);
    }

    private static X509ExtendedTrustManager trust() {
        if (STARTED.compareAndSet(false, true)) load();
        try {
            return DEFAULT.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("cannot read the trust store: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static void load() {
        try {
            var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager m : factory.getTrustManagers()) {
                if (m instanceof X509ExtendedTrustManager x) {
                    DEFAULT.complete(x);
                    return;
                }
            }
            DEFAULT.completeExceptionally(new IllegalStateException("the JDK offers no X.509 trust manager"));
        } catch (GeneralSecurityException | RuntimeException e) {
            DEFAULT.completeExceptionally(e);
        }
    }

    private static final class Deferred extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            trust().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            trust().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust().checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            trust().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            trust().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust().checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() { return trust().getAcceptedIssuers(); }
    }
}
