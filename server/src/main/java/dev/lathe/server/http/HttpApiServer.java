package dev.lathe.server.http;

import dev.lathe.protocol.api.LatheApi;
import dev.lathe.server.users.User;
import dev.lathe.server.users.Users;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Lathe HTTP + SSE API (DESIGN §6) served from a {@link LatheApi}, one virtual thread per connection, with the
 * JDK's {@code HttpExchange} as the routes' view of a request and Lathe's own connection handling underneath
 * ({@link HttpListener}: bounded request heads and bodies in size and time, {@link ServerOptions.Limits}).
 *
 * <p>Contract: {@link #start} binds and returns once the server accepts connections; it throws
 * {@link UncheckedIOException} when the address cannot be bound. Every route except {@code GET /health} needs the
 * bearer token of {@link ServerOptions#token()}; requests naming a foreign {@code Host} get 421, a foreign
 * {@code Origin} 403. {@link #close} returns within milliseconds: it ends all event streams and closes every
 * connection without waiting for requests in flight, so the JVM can exit at once (DEPENDENCIES §3, finding 2).
 * The {@code LatheApi} is not closed; it belongs to the caller.
 *
 * {@snippet :
 * try (var server = HttpApiServer.start(api, ServerOptions.of(BearerToken.generate(), "0.1.0"))) {
 *     System.err.println("listening on " + server.url());
 * }
 * }
 */
public final class HttpApiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HttpApiServer.class.getName());

    private final HttpListener server;
    private final EventStreams streams;
    private final URI url;
    private final Router router;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HttpApiServer(HttpListener server, EventStreams streams, URI url, Router router) {
        this.server = server;
        this.router = router;
        this.streams = streams;
        this.url = url;
    }

    public static HttpApiServer start(LatheApi api, ServerOptions options) {
        return start(api, options, java.util.Optional.empty());
    }

    /**
     * As {@link #start(LatheApi, ServerOptions)}, keeping web logins in {@code webLogins} so browsers stay logged in
     * across restarts (the daemon's {@code $XDG_STATE_HOME/lathe/web-logins}).
     */
    public static HttpApiServer start(LatheApi api, ServerOptions options, java.util.Optional<java.nio.file.Path> webLogins) {
        return start(api, options, webLogins, java.util.Optional.empty());
    }

    /**
     * As {@link #start(LatheApi, ServerOptions, java.util.Optional)}, with the team server's accounts when {@code users}
     * is present (DESIGN §20 "Users"): requests name their user, sessions their owner, and only a session's owner or an
     * admin changes it.
     */
    public static HttpApiServer start(LatheApi api, ServerOptions options, java.util.Optional<java.nio.file.Path> webLogins,
            java.util.Optional<Users> users) {
        return start(api, options, webLogins, users, ClientEnvironments.Refusals.NONE);
    }

    /**
     * As {@link #start(LatheApi, ServerOptions, java.util.Optional, java.util.Optional)}, recording in {@code refusals}
     * each client environment a team account sent and the server ignored (DESIGN §26).
     */
    public static HttpApiServer start(LatheApi api, ServerOptions options, java.util.Optional<java.nio.file.Path> webLogins,
            java.util.Optional<Users> users, ClientEnvironments.Refusals refusals) {
        return start(api, options, webLogins, WebAssets.bundled(), java.time.Clock.systemUTC(), users, refusals);
    }

    /** {@code clock}: the web login's time (tests move it past the lifetimes). */
    static HttpApiServer start(LatheApi api, ServerOptions options, java.util.Optional<java.nio.file.Path> webLogins, WebAssets assets,
            java.time.Clock clock) {
        return start(api, options, webLogins, assets, clock, java.util.Optional.empty(), ClientEnvironments.Refusals.NONE);
    }

    static HttpApiServer start(LatheApi api, ServerOptions options, java.util.Optional<java.nio.file.Path> webLogins, WebAssets assets,
            java.time.Clock clock, java.util.Optional<Users> users, ClientEnvironments.Refusals refusals) {
        var streams = new EventStreams(options);
        var boundPort = new java.util.concurrent.atomic.AtomicInteger(options.port());
        var callers = new Callers(options.token(), User.localAdmin(options.node()), users);
        var login = new WebLogin(clock, options.publicUrl(), boundPort::get, new WebLogins(clock, new WebLoginStore(webLogins)), callers);
        var access = users.map(u -> new SessionAccess(api, u));
        var router = new ApiRoutes(api, options, streams, login, callers, access).router();
        // the guard needs the bound port (for Origin checks) and the listener needs the handler: bind late through a holder
        var dispatcher = new Dispatcher[1];
        HttpListener server;
        try {
            server = HttpListener.start(new InetSocketAddress(InetAddress.getByName(options.host()), options.port()),
                    exchange -> dispatcher[0].handle(exchange), options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
        int port = server.port();
        boundPort.set(port);
        dispatcher[0] = new Dispatcher(router, new RequestGuard(options, port), login, assets, options.maxBodyBytes(), callers, access,
                new ClientEnvironments(refusals));
        URI url = URI.create("http://" + hostForUrl(options.host()) + ":" + port);
        LOG.log(Level.DEBUG, "Lathe API listening on {0}", url);
        return new HttpApiServer(server, streams, url, router);
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}, without a trailing slash. */
    public URI url() { return url; }

    public int port() { return server.port(); }

    /** The route table (for the route sweep test). */
    List<Router.Route> routes() { return router.routes(); }

    /** Number of open connections of any kind (tests). */
    int openConnections() { return server.openConnections(); }

    /** Number of open {@code /events} connections (for idle detection and tests). */
    public int openEventStreams() { return streams.size(); }

    /** Stops accepting, drops every event stream and closes all connections; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        streams.closeAll();
        server.close();
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
