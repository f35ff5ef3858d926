package dev.lathe.acp;

import dev.lathe.jsonrpc.JsonRpcError;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheApi;
import tools.jackson.databind.JsonNode;

/**
 * The MCP servers an editor names in {@code session/new}, {@code load} and {@code resume}, handed to the daemon for
 * that session alone (pending: the daemon side lands with issue 29's MCP part).
 */
final class EditorMcpServers {
    static final boolean HTTP = false;
    static final boolean SSE = false;

    private EditorMcpServers() {}

    static void attach(LatheApi api, SessionId session, JsonNode servers) throws JsonRpcError {
        if (servers.isArray() && !servers.isEmpty()) {
            System.getLogger(EditorMcpServers.class.getName()).log(System.Logger.Level.INFO, "editor MCP servers not yet attached for " + session.value());
        }
    }
}
