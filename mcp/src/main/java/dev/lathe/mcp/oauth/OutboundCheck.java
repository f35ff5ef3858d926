package dev.lathe.mcp.oauth;

import java.net.URI;
import java.util.Optional;

/**
 * Whether OAuth for remote MCP server {@code server} may connect to {@code target}, asked before every request
 * {@link McpOAuth} makes (the challenge probe, discovery, registration, the code exchange, refresh, revocation). It is
 * how the core's local-only mode (decision 120) reaches this module, which knows nothing of policies: the core answers
 * with the gate of the project whose configuration names the server, and records a refusal itself.
 */
@FunctionalInterface
public interface OutboundCheck {
    /** Everything allowed: no policy (tests, callers outside any project). */
    OutboundCheck ANYWHERE = (server, target) -> Optional.empty();

    /** Empty when the request may be sent; else why not, which the sign-in or refresh fails with (nothing is sent). */
    Optional<String> refusal(String server, URI target);
}
