package dev.lathe.server.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How an {@link HttpApiServer} listens and guards itself.
 *
 * @param host               address to bind; loopback ({@value #DEFAULT_HOST}) unless the user asked for remote use
 * @param port               port to bind, {@code 0} for any free port
 * @param token              the bearer token every route except {@code /health} requires
 * @param version            reported by {@code /health}
 * @param allowedHost        one extra name accepted in the {@code Host} and {@code Origin} headers besides the
 *                           loopback names (for {@code --allow-remote}); empty for loopback-only use
 * @param heartbeat          interval of {@code server.heartbeat} events on idle event streams
 * @param maxBodyBytes       largest request body accepted (413 above it)
 * @param limits             what one client may cost: head size and time, body time, event streams and their buffers
 * @param stallTimeout       how long an event stream's buffer may stay full before its reader counts as gone and
 *                           is dropped (the client then resumes with {@code Last-Event-ID})
 * @param publicUrl          the address browsers use when a TLS reverse proxy serves this server (e.g.
 *                           {@code https://lathe.example.com}): its host is accepted in {@code Host}, its origin in
 *                           {@code Origin}, and web login links are made with it
 * @param node               this server's node id, reported by {@code /health} (empty when none was given)
 * @param store              the kind of store the server keeps its sessions in, reported by {@code /health}:
 *                           {@code sqlite} or {@code postgresql} (DESIGN §20)
 */
public record ServerOptions(String host, int port, String token, String version, Optional<String> allowedHost,
        Duration heartbeat, long maxBodyBytes, Limits limits, Duration stallTimeout, Optional<java.net.URI> publicUrl,
        String node, String store) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(5);

    /**
     * What one client may cost the server (issue 25; {@code server.*} in docs/config.md).
     *
     * @param maxHeaderBytes          largest request head (request line and header fields); 431 above it
     * @param headerReadTimeout       time a client has to send a whole request head once it started one (a new
     *                                connection: from its accept); 408 and the connection closed after it
     * @param bodyReadTimeout         time a client has to send a whole request body once its head arrived; 408 and
     *                                the connection closed after it
     * @param maxEventStreams         open {@code /events} connections in total; 503 beyond it
     * @param maxEventStreamsPerToken open {@code /events} connections per credential (bearer token or login cookie);
     *                                429 beyond it
     * @param eventBufferBytes        bytes of encoded events one {@code /events} connection may have waiting for its
     *                                reader; a reader that leaves it full for the stall timeout is dropped
     */
    public record Limits(int maxHeaderBytes, Duration headerReadTimeout, Duration bodyReadTimeout, int maxEventStreams,
            int maxEventStreamsPerToken, int eventBufferBytes) {
        public static final Limits DEFAULT = new Limits(64 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(60), 256, 128, 1024 * 1024);

        public Limits {
            Objects.requireNonNull(headerReadTimeout, "headerReadTimeout");
            Objects.requireNonNull(bodyReadTimeout, "bodyReadTimeout");
            if (maxHeaderBytes <= 0) throw new IllegalArgumentException("maxHeaderBytes must be positive");
            if (!headerReadTimeout.isPositive() || !bodyReadTimeout.isPositive()) throw new IllegalArgumentException("read timeouts must be positive");
            if (maxEventStreams <= 0 || maxEventStreamsPerToken <= 0) throw new IllegalArgumentException("event stream limits must be positive");
            if (eventBufferBytes <= 0) throw new IllegalArgumentException("eventBufferBytes must be positive");
        }

        public Limits withMaxHeaderBytes(int bytes) {
            return new Limits(bytes, headerReadTimeout, bodyReadTimeout, maxEventStreams, maxEventStreamsPerToken, eventBufferBytes);
        }

        public Limits withReadTimeouts(Duration header, Duration body) {
            return new Limits(maxHeaderBytes, header, body, maxEventStreams, maxEventStreamsPerToken, eventBufferBytes);
        }

        public Limits withEventStreams(int total, int perToken) {
            return new Limits(maxHeaderBytes, headerReadTimeout, bodyReadTimeout, total, perToken, eventBufferBytes);
        }

        public Limits withEventBufferBytes(int bytes) {
            return new Limits(maxHeaderBytes, headerReadTimeout, bodyReadTimeout, maxEventStreams, maxEventStreamsPerToken, bytes);
        }
    }

    public ServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(allowedHost, "allowedHost");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(store, "store");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (token.isBlank()) throw new IllegalArgumentException("token must not be blank");
        if (heartbeat.isNegative() || heartbeat.isZero()) throw new IllegalArgumentException("heartbeat must be positive");
        if (maxBodyBytes <= 0 || maxBodyBytes > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("maxBodyBytes out of range");
        if (stallTimeout.isNegative() || stallTimeout.isZero()) throw new IllegalArgumentException("stallTimeout must be positive");
    }

    /** Loopback, any free port, default limits. */
    public static ServerOptions of(String token, String version) {
        return new ServerOptions(DEFAULT_HOST, 0, token, version, Optional.empty(), DEFAULT_HEARTBEAT,
                DEFAULT_MAX_BODY_BYTES, Limits.DEFAULT, DEFAULT_STALL_TIMEOUT, Optional.empty(), "", "sqlite");
    }

    public ServerOptions withHost(String newHost) {
        return new ServerOptions(newHost, port, token, version, allowedHost, heartbeat, maxBodyBytes, limits, stallTimeout, publicUrl, node, store);
    }

    public ServerOptions withPort(int newPort) {
        return new ServerOptions(host, newPort, token, version, allowedHost, heartbeat, maxBodyBytes, limits, stallTimeout, publicUrl, node, store);
    }

    public ServerOptions withAllowedHost(String name) {
        return new ServerOptions(host, port, token, version, Optional.of(name), heartbeat, maxBodyBytes, limits, stallTimeout, publicUrl, node, store);
    }

    public ServerOptions withHeartbeat(Duration interval) {
        return new ServerOptions(host, port, token, version, allowedHost, interval, maxBodyBytes, limits, stallTimeout, publicUrl, node, store);
    }

    public ServerOptions withMaxBodyBytes(long bytes) {
        return new ServerOptions(host, port, token, version, allowedHost, heartbeat, bytes, limits, stallTimeout, publicUrl, node, store);
    }

    public ServerOptions withLimits(Limits newLimits) {
        return new ServerOptions(host, port, token, version, allowedHost, heartbeat, maxBodyBytes, newLimits, stallTimeout, publicUrl, node, store);
    }

    public ServerOptions withStallTimeout(Duration timeout) {
        return new ServerOptions(host, port, token, version, allowedHost, heartbeat, maxBodyBytes, limits, timeout, publicUrl, node, store);
    }

    public ServerOptions withPublicUrl(java.net.URI url) {
        return new ServerOptions(host, port, token, version, allowedHost, heartbeat, maxBodyBytes, limits, stallTimeout, Optional.of(url), node, store);
    }

    /** This server's node id and kind of store, for {@code /health} (DESIGN §20). */
    public ServerOptions withNode(String newNode, String newStore) {
        return new ServerOptions(host, port, token, version, allowedHost, heartbeat, maxBodyBytes, limits, stallTimeout, publicUrl, newNode, newStore);
    }

    /** Hides the token, which must never reach a log. */
    @Override public String toString() {
        return "ServerOptions[host=" + host + ", port=" + port + ", version=" + version + ", allowedHost=" + allowedHost
                + ", heartbeat=" + heartbeat + ", maxBodyBytes=" + maxBodyBytes + ", limits=" + limits
                + ", stallTimeout=" + stallTimeout + ", publicUrl=" + publicUrl + ", node=" + node + ", store=" + store + "]";
    }
}
