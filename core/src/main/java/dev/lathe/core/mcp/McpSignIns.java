package dev.lathe.core.mcp;

import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.oauth.Browser;
import dev.lathe.mcp.oauth.McpOAuth;
import dev.lathe.mcp.oauth.OAuthException;
import dev.lathe.mcp.oauth.OAuthSettings;
import dev.lathe.mcp.oauth.OutboundCheck;
import dev.lathe.mcp.oauth.RemoteServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Sign-ins to remote MCP servers that the running server performs for a client ({@code POST /mcp/{name}/auth}, the
 * terminal UI's {@code /mcp auth NAME}, later the web UI): the OAuth flow of {@link McpOAuth#authorize} runs here,
 * with a "browser" that publishes the authorization URL instead of opening it; {@link #start} answers that URL as
 * soon as discovery and registration produced it, and the flow goes on in the background until the redirect reaches
 * this machine's loopback listener (or the flow's own timeout). How it ended goes to {@code finished}. A second
 * sign-in to the same server of the same project replaces the first (its listener closes).
 */
public final class McpSignIns implements AutoCloseable {
    /** How a sign-in ended: {@code error} is empty when it succeeded. */
    public record Finished(Path root, String server, Optional<String> error) {
        public boolean signedIn() { return error.isEmpty(); }
    }

    /** The spec cannot sign in (a local server, {@code oauth: false}); the message says why. */
    public static final class NotSignable extends Exception {
        NotSignable(String message) { super(message, null, false, false); }
    }

    /** How long {@link #start} waits for the URL (discovery and registration are a few HTTP requests). */
    static final Duration URL_WAIT = Duration.ofSeconds(60);

    private final Function<Browser, McpOAuth> oauth;
    private final Consumer<Finished> finished;
    private final Map<String, Thread> running = new ConcurrentHashMap<>();

    /**
     * @param oauth the OAuth client for one sign-in, given its browser (the tokens land where the connections read them)
     * @param finished told how each sign-in ended, on the flow's thread
     */
    public McpSignIns(Function<Browser, McpOAuth> oauth, Consumer<Finished> finished) {
        this.oauth = oauth;
        this.finished = finished;
    }

    /**
     * What a configured remote server signs in as, its OAuth requests asking {@code outbound} (its project's gate,
     * {@link McpOutbound}); {@link NotSignable} for a local one or one with OAuth off.
     */
    public static RemoteServer remote(McpServerSpec spec, OutboundCheck outbound) throws NotSignable {
        return switch (spec) {
            case McpServerSpec.Local local -> throw new NotSignable("'" + spec.name() + "' is a local server: only remote servers sign in");
            case McpServerSpec.Remote remote -> switch (remote.oauth()) {
                case McpServerSpec.OAuth.Off off -> throw new NotSignable("'" + spec.name() + "' has \"oauth\": false in its configuration");
                case McpServerSpec.OAuth.Automatic a -> new RemoteServer(spec.name(), remote.url(),
                        new OAuthSettings(a.clientId(), a.clientSecret(), a.scope(), a.clientMetadataDocument(), a.issuer()), outbound);
            };
        };
    }

    /**
     * Starts signing in to {@code server} of the project at {@code root} and answers the URL the user must open.
     *
     * @throws OAuthException when the flow failed before it had a URL (the server or its authorization server could not
     *     be discovered, registration was refused), or none came within {@link #URL_WAIT}
     */
    public URI start(Path root, RemoteServer server) throws OAuthException, InterruptedException {
        String key = root + "\0" + server.name();
        var url = new CompletableFuture<URI>();
        Thread flow = Thread.ofVirtual().name("mcp-sign-in-" + server.name()).unstarted(() -> {
            Optional<String> error;
            OAuthException failure = null;
            try {
                oauth.apply(url::complete).authorize(server);
                error = Optional.empty();
            } catch (OAuthException e) {
                error = Optional.of(e.getMessage());
                failure = e; // its type (a refusal by local-only mode) reaches the caller of start as is
            } catch (InterruptedException e) {
                error = Optional.of("replaced by a newer sign-in, or Lathe is stopping");
            } catch (RuntimeException e) {
                error = Optional.of(String.valueOf(e.getMessage()));
            } finally {
                running.remove(key, Thread.currentThread());
            }
            // before the URL was known the caller of start reports the failure; after it, only the event can
            if (error.isPresent() && url.completeExceptionally(failure != null ? failure : new OAuthException(error.get()))) return;
            finished.accept(new Finished(root, server.name(), error));
        });
        Thread previous = running.put(key, flow);
        if (previous != null) previous.interrupt();
        flow.start();
        try {
            return url.get(URL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof OAuthException o ? o : new OAuthException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            flow.interrupt();
            throw new OAuthException("the sign-in to " + server.name() + " produced no authorization URL within " + URL_WAIT.toSeconds() + " s");
        }
    }

    /** Ends every sign-in still waiting for its browser. */
    @Override
    public void close() {
        running.values().forEach(Thread::interrupt);
    }
}
