package dev.lathe.mcp.oauth;

import java.net.URI;

/** A remote MCP server as OAuth sees it: its config name (names the token file), its URL, and its {@code oauth} settings. */
public record RemoteServer(String name, URI url, OAuthSettings settings) {}
