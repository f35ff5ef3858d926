package dev.lathe.mcp.oauth;

import java.net.URI;

/**
 * Shows the user the authorization page. {@link SystemBrowser} opens it; tests drive the page with an HTTP client that
 * follows the authorization server's redirect to the loopback listener, as a browser would.
 */
@FunctionalInterface
public interface Browser {
    /** Opens (or shows) {@code authorizationUrl}; returns without waiting for the user. */
    void open(URI authorizationUrl);
}
