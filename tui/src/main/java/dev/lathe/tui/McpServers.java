package dev.lathe.tui;

import dev.lathe.protocol.api.McpServerInfo;
import dev.lathe.tui.view.McpSummary;

/**
 * The folder's MCP servers as the footer counts them: {@code GET /mcp} at start and when the server or its config
 * changed, then {@code mcp.status} events. Owned by the UI's loop and changed on its thread alone.
 */
final class McpServers {
    private final ServerConnection server;
    private final String directory;
    private McpSummary summary = McpSummary.NONE;

    McpServers(ServerConnection server, String directory) {
        this.server = server;
        this.directory = directory;
    }

    /**
     * The folder's MCP servers as the server has them now ({@code GET /mcp}, which also opens the folder and so starts
     * them). A server that cannot tell (an older version, a config error) leaves the footer without the figure.
     */
    void load() {
        try {
            summary = new McpSummary(server.api().mcp(directory));
        } catch (RuntimeException e) {
            summary = McpSummary.NONE;
        }
    }

    /** One server's new status. */
    void changed(McpServerInfo changed) { summary = summary.with(changed); }

    McpSummary summary() { return summary; }
}
