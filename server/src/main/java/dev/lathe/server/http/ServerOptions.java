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
 * @param eventQueueCapacity events buffered per event-stream connection
 * @param stallTimeout       how long an event stream's buffer may stay full before its reader counts as gone and
 *                           is dropped (the client then resumes with {@code Last-Event-ID})
 */
public record ServerOptions(String host, int port, String token, String version, Optional<String> allowedHost,
        Duration heartbeat, long maxBodyBytes, int eventQueueCapacity, Duration stallTimeout) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;
    public static final int DEFAULT_EVENT_QUEUE_CAPACITY = 4096;
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(5);

    public ServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(allowedHost, "allowedHost");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(stallTimeout, "stallTimeout");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        if (token.isBlank()) throw new IllegalArgumentException("token must not be blank");
        if (heartbeat.isNegative() || heartbeat.isZero()) throw new IllegalArgumentException("heartbeat must be positive");
        if (maxBodyBytes <= 0 || maxBodyBytes > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("maxBodyBytes out of range");
        if (eventQueueCapacity <= 0) throw new IllegalArgumentException("eventQueueCapacity must be positive");
        if (stallTimeout.isNegative() || stallTimeout.isZero()) throw new IllegalArgumentException("stallTimeout must be positive");
    }

    /** Loopback, any free port, default limits. */
    public static ServerOptions of(String token, String version) {
        return new ServerOptions(DEFAULT_HOST, 0, token, version, Optional.empty(), DEFAULT_HEARTBEAT,
                DEFAULT_MAX_BODY_BYTES, DEFAULT_EVENT_QUEUE_CAPACITY, DEFAULT_STALL_TIMEOUT);
    }

    public ServerOptions withHost(String newHost) {
        return new ServerOptions(newHost, port, token, version, allowedHost, heartbeat, maxBodyBytes, eventQueueCapacity, stallTimeout);
    }

    public ServerOptions withPort(int newPort) {
        return new ServerOptions(host, newPort, token, version, allowedHost, heartbeat, maxBodyBytes, eventQueueCapacity, stallTimeout);
    }

    public ServerOptions withAllowedHost(String name) {
        return new ServerOptions(host, port, token, version, Optional.of(name), heartbeat, maxBodyBytes, eventQueueCapacity, stallTimeout);
    }

    public ServerOptions withHeartbeat(Duration interval) {
        return new ServerOptions(host, port, token, version, allowedHost, interval, maxBodyBytes, eventQueueCapacity, stallTimeout);
    }

    public ServerOptions withMaxBodyBytes(long bytes) {
        return new ServerOptions(host, port, token, version, allowedHost, heartbeat, bytes, eventQueueCapacity, stallTimeout);
    }

    public ServerOptions withEventQueueCapacity(int capacity) {
        return new ServerOptions(host, port, token, version, allowedHost, heartbeat, maxBodyBytes, capacity, stallTimeout);
    }

    public ServerOptions withStallTimeout(Duration timeout) {
        return new ServerOptions(host, port, token, version, allowedHost, heartbeat, maxBodyBytes, eventQueueCapacity, timeout);
    }

    /** Hides the token, which must never reach a log. */
    @Override public String toString() {
        return "ServerOptions[host=" + host + ", port=" + port + ", version=" + version + ", allowedHost=" + allowedHost
                + ", heartbeat=" + heartbeat + ", maxBodyBytes=" + maxBodyBytes + ", eventQueueCapacity=" + eventQueueCapacity
                + ", stallTimeout=" + stallTimeout + "]";
    }
}
