package dev.lathe.llm.http;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} built on a thread of its own, so the caller does not wait for it. Building the JDK client sets
 * up its TLS parameters (cipher suites; with the JDK's default context also the trust store, see {@link DeferredTrust})
 * and starts its selector thread, which took 0.2 s of the main thread before the first model request on our 2-core
 * machines even with the AOT cache; started at the very beginning of start-up it overlaps the database, config and
 * prompt work instead. The first call that needs the real client waits for it.
 */
public final class BackgroundHttpClient extends HttpClient {
    private final CompletableFuture<HttpClient> client = new CompletableFuture<>();

    private BackgroundHttpClient(Supplier<HttpClient> build) {
        Thread.ofPlatform().daemon().name("lathe-http-init").start(() -> {
            try {
                client.complete(build.get());
            } catch (RuntimeException | Error e) {
                client.completeExceptionally(e);
            }
        });
    }

    /** Starts {@code build} on a thread of its own now; returns at once. */
    public static HttpClient start(Supplier<HttpClient> build) { return new BackgroundHttpClient(build); }

    private HttpClient client() { return client.join(); }

    @Override public Optional<CookieHandler> cookieHandler() { return client().cookieHandler(); }
    @Override public Optional<Duration> connectTimeout() { return client().connectTimeout(); }
    @Override public Redirect followRedirects() { return client().followRedirects(); }
    @Override public Optional<ProxySelector> proxy() { return client().proxy(); }
    @Override public SSLContext sslContext() { return client().sslContext(); }
    @Override public SSLParameters sslParameters() { return client().sslParameters(); }
    @Override public Optional<Authenticator> authenticator() { return client().authenticator(); }
    @Override public Version version() { return client().version(); }
    @Override public Optional<Executor> executor() { return client().executor(); }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        return client().send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return client().sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return client().sendAsync(request, handler, pushPromiseHandler);
    }

    @Override public void shutdown() { client().shutdown(); }
    @Override public void shutdownNow() { client().shutdownNow(); }
    @Override public boolean isTerminated() { return client().isTerminated(); }
    @Override public boolean awaitTermination(Duration duration) throws InterruptedException { return client().awaitTermination(duration); }
    @Override public void close() { client().close(); }
}
