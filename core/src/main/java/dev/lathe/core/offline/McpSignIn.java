package dev.lathe.core.offline;

import dev.lathe.core.config.LathePaths;
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
 * {@code McpConnections.restart}.
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
        McpServerSpec spec = McpEntries.list(env, directory).servers().get(name);
        if (spec == null) throw new OfflineFailure("no MCP server called '" + name + "' is configured here (`lathe mcp list`)");
        return switch (spec) {
            case McpServerSpec.Local local -> throw new OfflineFailure("'" + name + "' is a local server: only remote servers sign in");
            case McpServerSpec.Remote remote -> switch (remote.oauth()) {
                case McpServerSpec.OAuth.Off off -> throw new OfflineFailure("'" + name + "' has \"oauth\": false in its configuration");
                case McpServerSpec.OAuth.Automatic a -> new RemoteServer(name, remote.url(),
                        new OAuthSettings(a.clientId(), a.clientSecret(), a.scope(), a.clientMetadataDocument()));
            };
        };
    }
}
