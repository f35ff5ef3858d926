package dev.lathe.mcp;

import dev.lathe.mcp.oauth.OAuthSettings;
import dev.lathe.mcp.oauth.RemoteServer;
import dev.lathe.mcp.oauth.SdkAuthorization;
import dev.lathe.mcp.connect.ConnectFailure;
import dev.lathe.mcp.connect.Connection;
import dev.lathe.mcp.connect.HttpConnector;
import dev.lathe.mcp.connect.StdioConnector;
import dev.lathe.mcp.client.ServerClient;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Keeps one configured server running on its own virtual thread: connect, publish {@code connected}, wait until the
 * connection ends (a local process exits) or the supervisor is stopped, then restart with backoff. Every failure
 * becomes a status with a readable last error; nothing is thrown to whoever started it.
 */
final class ServerSupervisor {
    /** How long a connection must last for its end to count as a new outage rather than a start that failed. */
    static final java.time.Duration STABLE = java.time.Duration.ofSeconds(10);
    private final McpServerSpec spec;
    private final McpOptions options;
    private final Consumer<McpServerStatus> publish;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Object lock = new Object();
    private volatile McpServerStatus status;
    private volatile Connection connection;
    private volatile CompletableFuture<Void> wake = new CompletableFuture<>();
    private Thread thread;

    ServerSupervisor(McpServerSpec spec, McpOptions options, Consumer<McpServerStatus> publish) {
        this.spec = spec;
        this.options = options;
        this.publish = publish;
        this.status = new McpServerStatus(spec.name(), McpServerStatus.Phase.STARTING, Optional.empty(), 0, Instant.now());
    }

    void start() {
        if (spec.activation() == McpServerSpec.Activation.DISABLED) {
            set(McpServerStatus.Phase.DISABLED, Optional.empty(), 0);
            return;
        }
        thread = Thread.ofVirtual().name("mcp-" + spec.name()).start(this::run);
    }

    McpServerStatus status() { return status; }

    Optional<ServerClient> client() {
        Connection c = connection;
        return c == null ? Optional.empty() : Optional.of(c.client());
    }

    /**
     * Tries again now: a failed or {@code needs_auth} server's wait (or backoff) ends with a fresh failure count; a
     * connected server is disconnected (a local one's process killed) and connected again; a server still starting is
     * restarted once that attempt ends (so a sign-in finished meanwhile is not missed).
     */
    void restart() {
        wake.complete(null);
    }

    void stop() {
        stopped.complete(null);
        wake.complete(null);
        Connection c = connection;
        if (c != null) c.close();
        if (thread != null) {
            thread.interrupt(); // a start still waiting for its handshake gives up now, and kills what it spawned
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Connection last = connection;
        if (last != null) last.close();
    }

    private void run() {
        int failures = 0;
        int restarts = 0;
        Optional<String> lastError = Optional.empty();
        while (!stopped.isDone()) {
            set(McpServerStatus.Phase.STARTING, lastError, restarts);
            Connection c;
            try {
                c = connect();
            } catch (ConnectFailure e) {
                lastError = Optional.of(e.getMessage());
                if (e.kind() == ConnectFailure.Kind.NEEDS_AUTH) {
                    set(McpServerStatus.Phase.NEEDS_AUTH, lastError, restarts);
                    if (!waitForWake(Long.MAX_VALUE)) return;
                    failures = 0;
                    continue;
                }
                failures++;
                set(McpServerStatus.Phase.FAILED, lastError, restarts);
                long delay = failures >= options.backoff().attempts() ? Long.MAX_VALUE
                        : options.backoff().delay(failures).toMillis();
                if (!waitForWake(delay)) return;
                if (failures >= options.backoff().attempts()) failures = 0;
                restarts++;
                continue;
            }
            synchronized (lock) {
                if (stopped.isDone()) {
                    c.close();
                    return;
                }
                connection = c;
            }
            long connectedAt = System.nanoTime();
            set(McpServerStatus.Phase.CONNECTED, lastError, restarts);
            CompletableFuture<Void> restartAsked = wake;
            CompletableFuture.anyOf(c.ended(), stopped, restartAsked).join();
            String why = c.ended().getNow("stopped");
            boolean died = c.ended().isDone();
            connection = null;
            c.close();
            if (stopped.isDone()) return;
            if (!died && restartAsked.isDone()) {
                // restart() on a connected server: a fresh connection now, not a failure
                wake = new CompletableFuture<>();
                lastError = Optional.empty();
                restarts++;
                continue;
            }
            // a server that exits soon after each start failed to start: it does not start again and again for ever,
            // flipping between connected and failed (issue 71, minor 15); one that ran a while starts afresh
            if (System.nanoTime() - connectedAt >= STABLE.toNanos()) failures = 0;
            failures++;
            boolean givesUp = failures >= options.backoff().attempts();
            lastError = Optional.of("the server " + why + (givesUp ? " (" + failures + " times in a row soon after starting: not started again"
                    + " until restarted, e.g. /mcp restart " + spec.name() + " in lathe)" : ""));
            set(McpServerStatus.Phase.FAILED, lastError, restarts);
            if (!waitForWake(givesUp ? Long.MAX_VALUE : options.backoff().delay(failures).toMillis())) return;
            if (givesUp) failures = 0;
            restarts++;
        }
    }

    /** {@code local}, once the options' start check lets it start now (a refusal fails this attempt, as a crash would). */
    private McpServerSpec.Local checked(McpServerSpec.Local local) throws ConnectFailure {
        Optional<String> refused = options.startCheck().refusal(local.name());
        if (refused.isPresent()) throw new ConnectFailure(ConnectFailure.Kind.FAILED, refused.get(), null);
        return local;
    }

    private Connection connect() throws ConnectFailure {
        return switch (spec) {
            case McpServerSpec.Local local -> StdioConnector.connect(checked(local).name(), local.command(), local.env(), local.timeout(),
                    options.logDir().resolve(local.name() + ".log"), customizer(), options.elicitor(), options.environment());
            case McpServerSpec.Remote remote -> HttpConnector.connect(remote.name(), remote.url(), remote.headers(),
                    authorization(remote), remote.timeout(), options.healthCheck(), customizer(), options.elicitor());
        };
    }

    /**
     * The options' client hook, and elicitation: when someone can answer ({@link McpOptions#elicitor} is not
     * {@link Elicitor#DECLINE}) the client declares form elicitation and hands each request to the elicitor with this
     * server's name (the SDK runs the handler on a thread of its own, which may block until the user answers). Without
     * an elicitor the capability is not declared, so servers do not ask (server-everything then offers no
     * elicitation tool).
     */
    private java.util.function.Consumer<io.modelcontextprotocol.client.McpClient.SyncSpec> customizer() {
        Elicitor elicitor = options.elicitor();
        if (elicitor == Elicitor.DECLINE) return options.clientCustomizer();
        String server = spec.name();
        return options.clientCustomizer().andThen(client -> client
                .capabilities(io.modelcontextprotocol.spec.McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(request -> elicitor.elicit(server, request)));
    }

    /** The SDK hooks that sign {@code remote}'s requests, when its OAuth is on and the options carry a client. */
    private Optional<SdkAuthorization> authorization(McpServerSpec.Remote remote) {
        return switch (remote.oauth()) {
            case McpServerSpec.OAuth.Off off -> Optional.empty();
            case McpServerSpec.OAuth.Automatic a -> options.oauth().map(oauth -> new SdkAuthorization(oauth,
                    new RemoteServer(remote.name(), remote.url(), new OAuthSettings(a.clientId(), a.clientSecret(), a.scope(), a.clientMetadataDocument(), a.issuer()), options.outbound())));
        };
    }

    /** Waits {@code millis} or until woken; false when the supervisor was stopped meanwhile. */
    private boolean waitForWake(long millis) {
        try {
            if (millis == Long.MAX_VALUE) wake.get();
            else wake.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException timeUp) {
            // the backoff elapsed
        } catch (Exception e) {
            return false;
        }
        wake = new CompletableFuture<>();
        return !stopped.isDone();
    }

    private void set(McpServerStatus.Phase phase, Optional<String> lastError, int restarts) {
        status = new McpServerStatus(spec.name(), phase, lastError, restarts, Instant.now());
        try {
            publish.accept(status);
        } catch (RuntimeException ignored) {
            // a listener's failure must not stop the server's lifecycle
        }
    }
}
