package dev.lathe.mcp.stateless;

/**
 * Which revision a server speaks, as the {@code server/discover} probe found: {@link Stateless} (it lists
 * 2026-07-28), {@link Session} (anything else: the caller falls back to {@code initialize}), with why, or
 * {@link Redirected}: the server sent Lathe elsewhere, where no transport follows it.
 */
public sealed interface Era {
    /** The server speaks 2026-07-28. */
    record Stateless(Discovery discovery) implements Era { }

    /** The server does not (or the probe could not tell): {@code initialize} next. {@code reason} is for the log. */
    record Session(String reason) implements Era { }

    /**
     * The server answered with a redirect (HTTP 3xx), which neither this client nor the SDK's transports follow
     * (decision 120): {@code initialize} would meet the same one, so the connection fails with {@code reason}, which
     * says where it points and that the server's {@code url} must be set to it.
     */
    record Redirected(String reason) implements Era { }
}
