package dev.lathe.core.offline;

import dev.lathe.core.config.Config;
import dev.lathe.core.config.LathePaths;
import dev.lathe.core.mcp.McpOutbound;
import dev.lathe.core.network.BlockedConnections;
import dev.lathe.core.network.NetworkPolicy;
import dev.lathe.core.network.OutboundGate;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.oauth.Browser;
import dev.lathe.mcp.oauth.McpOAuth;
import dev.lathe.mcp.oauth.OAuthException;
import dev.lathe.mcp.oauth.OAuthSettings;
import dev.lathe.mcp.oauth.RemoteServer;
import dev.lathe.mcp.oauth.SystemBrowser;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code lathe mcp auth NAME [--logout]}: signs in to (or out of) the remote MCP server a folder's configuration calls
 * {@code NAME}, without a running server. The tokens land in the data folder ({@code DATA/mcp-auth/NAME.json}), where
 * a running server's connection reads them on its next attempt; a server in {@code needs_auth} is retried by
 * {@code McpConnections.restart}. The folder's local-only mode applies to the sign-in's requests
 * ({@link McpOutbound}): then they reach loopback only; a refusal is told here, not recorded for {@code lathe doctor},
 * whose file is the server's.
 */
public final class McpSignIn {
    private McpSignIn() {}

    /** Signs in through the system browser, printing the URL to {@code prompts}; @throws OfflineFailure naming why not */
    public static void signIn(Map<String, String> env, Path directory, String name, PrintStream prompts) {
        signIn(env, directory, name, new SystemBrowser(prompts));
    }

    /** Signs in through {@code browser} (tests: an HTTP client that follows the authorization server's redirect). */
    public static void signIn(Map<String, String> env, Path directory, String name, Browser browser) {
        RemoteServer server = remote(env, directory, name);
        try {
            McpOAuth.standard(LathePaths.fromEnvironment(env).data(), browser).authorize(server);
        } catch (OAuthException e) {
            throw new OfflineFailure("could not sign in to " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OfflineFailure("sign-in to " + name + " was interrupted");
        }
    }

    /** Revokes (when the server offers it) and forgets {@code NAME}'s tokens. */
    public static void signOut(Map<String, String> env, Path directory, String name) {
        RemoteServer server = remote(env, directory, name);
        try {
            McpOAuth.standard(LathePaths.fromEnvironment(env).data(), url -> { }).signOut(server);
        } catch (OAuthException e) {
            throw new OfflineFailure("could not sign out of " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OfflineFailure("sign-out of " + name + " was interrupted");
        }
    }

    private static RemoteServer remote(Map<String, String> env, Path directory, String name) {
        Config config = McpEntries.load(env, directory);
        McpServerSpec spec = config.mcp().get(name);
        if (spec == null) throw new OfflineFailure("no MCP server called '" + name + "' is configured here (`lathe mcp list`)");
        return switch (spec) {
            case McpServerSpec.Local local -> throw new OfflineFailure("'" + name + "' is a local server: only remote servers sign in");
            case McpServerSpec.Remote remote -> switch (remote.oauth()) {
                case McpServerSpec.OAuth.Off off -> throw new OfflineFailure("'" + name + "' has \"oauth\": false in its configuration");
                case McpServerSpec.OAuth.Automatic a -> new RemoteServer(name, remote.url(),
                        new OAuthSettings(a.clientId(), a.clientSecret(), a.scope(), a.clientMetadataDocument(), a.issuer()),
                        McpOutbound.of(new OutboundGate(NetworkPolicy.of(config), directory.toString(), BlockedConnections.inMemory())));
            };
        };
    }
}
