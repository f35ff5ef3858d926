/**
 * OAuth 2.1 for remote MCP servers, per the MCP authorization spec (revision 2025-11-25): discovery of the
 * authorization server from a 401's {@code WWW-Authenticate} or the well-known protected resource metadata
 * (RFC 9728), the authorization server's metadata (RFC 8414 / OpenID discovery) with its issuer checked, a client
 * identity (configured, a client ID metadata document URL, or dynamic registration RFC 7591), the authorization code
 * flow with PKCE S256 and the {@code resource} parameter (RFC 8707) through a loopback redirect on 127.0.0.1, and
 * tokens stored 0600 in the data folder, refreshed before expiry and on a 401.
 *
 * <p>Owns: everything between "this remote server answered 401" and "here is its {@code Authorization} header".
 * The connections ({@code dev.lathe.mcp.connect}) call {@link dev.lathe.mcp.oauth.McpOAuth}; nothing here opens an
 * MCP session ({@link dev.lathe.mcp.oauth.SdkAuthorization} plugs it into the SDK's HTTP transports). Every request
 * asks the server's {@link dev.lathe.mcp.oauth.OutboundCheck} first (the caller's network policy, which this package
 * does not know) and none follows a redirect. Imports the JDK,
 * Jackson 3 and the MCP SDK's transport customizer types; no other Lathe module.
 */
package dev.lathe.mcp.oauth;
