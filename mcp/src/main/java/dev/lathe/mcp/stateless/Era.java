package dev.lathe.mcp.stateless;

/**
 * Which revision a server speaks, as the {@code server/discover} probe found: {@link Stateless} (it lists
 * 2026-07-28), or {@link Session} (anything else: the caller falls back to {@code initialize}), with why.
 */
public sealed interface Era {
    /** The server speaks 2026-07-28. */
    record Stateless(Discovery discovery) implements Era { }

    /** The server does not (or the probe could not tell): {@code initialize} next. {@code reason} is for the log. */
    record Session(String reason) implements Era { }
}
