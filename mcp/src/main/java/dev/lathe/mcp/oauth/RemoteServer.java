package dev.lathe.mcp.oauth;

import java.net.URI;
import java.util.Objects;

/**
 * A remote MCP server as OAuth sees it: its config name (names the token file), its URL, its {@code oauth} settings,
 * and what its project lets OAuth connect to ({@code outbound}). The check travels with the server, not with
 * {@link McpOAuth}: one {@code McpOAuth} serves a whole Lathe server, while the policy is each project's own.
 */
public record RemoteServer(String name, URI url, OAuthSettings settings, OutboundCheck outbound) {
    public RemoteServer {
        Objects.requireNonNull(outbound, "outbound");
    }

    /** With no policy: every address allowed. */
    public RemoteServer(String name, URI url, OAuthSettings settings) {
        this(name, url, settings, OutboundCheck.ANYWHERE);
    }
}
