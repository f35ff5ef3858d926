package dev.lathe.mcp;

import dev.lathe.mcp.oauth.McpOAuth;
import dev.lathe.mcp.oauth.OutboundCheck;
import io.modelcontextprotocol.client.McpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How {@link McpConnections} runs its servers: where each local server's stderr log goes ({@code logDir/NAME.log},
 * under the state folder), the restart backoff, how often a connected remote server is pinged, and a hook that completes every SDK client spec before it is built
 * (the bridge adds its {@code toolsChangeConsumer}, elicitation and logging handlers there), and the OAuth client
 * remote servers sign in with (none: a remote server's 401 is {@code needs_auth} and no token is ever sent), and who
 * answers a server's elicitation ({@link Elicitor#DECLINE} when nobody can be asked), and the environment a local server
 * starts from ({@code environment}; empty: Lathe's own, as a child process inherits it), to which its entry's
 * {@code env} is added, and what that OAuth client may connect to for these servers ({@code outbound}: the project's
 * local-only mode; {@link OutboundCheck#ANYWHERE} when nothing was said).
 */
public record McpOptions(Path logDir, Backoff backoff, Duration healthCheck, Consumer<McpClient.SyncSpec> clientCustomizer,
                         Optional<McpOAuth> oauth, Elicitor elicitor, Optional<Map<String, String>> environment, OutboundCheck outbound,
                         StartCheck startCheck) {

    /**
     * Asked immediately before each start and restart of a local server: why it must not start now (what trust approved
     * of the files it runs changed, DESIGN §24), or empty. A refusal is the server's failure, reported like any other.
     */
    @FunctionalInterface
    public interface StartCheck {
        StartCheck NONE = server -> Optional.empty();

        Optional<String> refusal(String server);
    }

    /** How often a connected remote server is pinged when nothing else is said. */
    public static final Duration DEFAULT_HEALTH_CHECK = Duration.ofSeconds(30);

    public McpOptions {
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(backoff, "backoff");
        if (healthCheck.isNegative() || healthCheck.isZero()) throw new IllegalArgumentException("healthCheck must be positive");
        Objects.requireNonNull(clientCustomizer, "clientCustomizer");
        Objects.requireNonNull(oauth, "oauth");
        Objects.requireNonNull(elicitor, "elicitor");
        environment = environment.map(Map::copyOf);
        Objects.requireNonNull(outbound, "outbound");
        Objects.requireNonNull(startCheck, "startCheck");
    }

    /** Every local server starts unchecked (the user's own). */
    public McpOptions(Path logDir, Backoff backoff, Duration healthCheck, Consumer<McpClient.SyncSpec> clientCustomizer,
            Optional<McpOAuth> oauth, Elicitor elicitor, Optional<Map<String, String>> environment, OutboundCheck outbound) {
        this(logDir, backoff, healthCheck, clientCustomizer, oauth, elicitor, environment, outbound, StartCheck.NONE);
    }

    /** OAuth may connect anywhere. */
    public McpOptions(Path logDir, Backoff backoff, Duration healthCheck, Consumer<McpClient.SyncSpec> clientCustomizer,
            Optional<McpOAuth> oauth, Elicitor elicitor, Optional<Map<String, String>> environment) {
        this(logDir, backoff, healthCheck, clientCustomizer, oauth, elicitor, environment, OutboundCheck.ANYWHERE);
    }

    /** Local servers inherit Lathe's own environment. */
    public McpOptions(Path logDir, Backoff backoff, Duration healthCheck, Consumer<McpClient.SyncSpec> clientCustomizer,
            Optional<McpOAuth> oauth, Elicitor elicitor) {
        this(logDir, backoff, healthCheck, clientCustomizer, oauth, elicitor, Optional.empty());
    }

    /** Declining every elicitation. */
    public McpOptions(Path logDir, Backoff backoff, Duration healthCheck, Consumer<McpClient.SyncSpec> clientCustomizer,
            Optional<McpOAuth> oauth) {
        this(logDir, backoff, healthCheck, clientCustomizer, oauth, Elicitor.DECLINE);
    }

    /** Without OAuth. */
    public McpOptions(Path logDir, Backoff backoff, Duration healthCheck, Consumer<McpClient.SyncSpec> clientCustomizer) {
        this(logDir, backoff, healthCheck, clientCustomizer, Optional.empty());
    }

    /** These options with {@code oauth} as the client remote servers with OAuth on sign in with. */
    public McpOptions withOAuth(McpOAuth oauth) {
        return new McpOptions(logDir, backoff, healthCheck, clientCustomizer, Optional.of(oauth), elicitor, environment, outbound, startCheck);
    }

    /** These options with {@code elicitor} answering servers' elicitation requests. */
    public McpOptions withElicitor(Elicitor elicitor) {
        return new McpOptions(logDir, backoff, healthCheck, clientCustomizer, oauth, elicitor, environment, outbound, startCheck);
    }

    /**
     * These options with local servers started from {@code base} instead of Lathe's own environment (their entry's
     * {@code env} still added on top): how a caller keeps variables such as provider keys from a server.
     */
    public McpOptions withEnvironment(Map<String, String> base) {
        return new McpOptions(logDir, backoff, healthCheck, clientCustomizer, oauth, elicitor, Optional.of(base), outbound, startCheck);
    }

    /** These options with {@code outbound} asked before each OAuth request for these servers (the project's gate). */
    public McpOptions withOutbound(OutboundCheck outbound) {
        return new McpOptions(logDir, backoff, healthCheck, clientCustomizer, oauth, elicitor, environment, outbound, startCheck);
    }

    /** These options with {@code check} asked before each start of a local server. */
    public McpOptions withStartCheck(StartCheck check) {
        return new McpOptions(logDir, backoff, healthCheck, clientCustomizer, oauth, elicitor, environment, outbound, check);
    }

    /** The defaults for a project instance: logs in {@code logDir}, {@link Backoff#DEFAULT}, no client hook. */
    public static McpOptions defaults(Path logDir) {
        return new McpOptions(logDir, Backoff.DEFAULT, DEFAULT_HEALTH_CHECK, spec -> { });
    }

    /**
     * Restart policy: the n-th consecutive failure waits {@code first × 2^(n-1)}, at most {@code max}; after
     * {@code attempts} consecutive failures the server stays {@code failed} until {@link McpConnections#restart}.
     * A connection that was up resets the count, so a server that dies once a day is always restarted.
     */
    public record Backoff(Duration first, Duration max, int attempts) {
        public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 6);

        public Backoff {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(max, "max");
            if (attempts < 1) throw new IllegalArgumentException("attempts < 1");
        }

        Duration delay(int failures) {
            long millis = first.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
            return Duration.ofMillis(Math.min(millis, max.toMillis()));
        }
    }
}
