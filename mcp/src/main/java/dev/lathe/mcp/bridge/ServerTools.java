package dev.lathe.mcp.bridge;

import dev.lathe.tools.Tool;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tools of one connected server, as {@link McpTool}s sorted by name. The list is fetched once ({@code tools/list},
 * every page) and kept until the server says it changed: the connection passes {@link #listChanged} as the SDK
 * client's tools-change consumer, and the next {@link #tools} (asked once per step) fetches it again, so a change
 * reaches the model from the next step. If fetching fails the last list is kept (empty before the first success): a
 * server that is down offers what it offered, and calling those tools gives the model a readable error.
 */
public final class ServerTools {
    private final String server;
    private final McpSyncClient client;
    private final Duration timeout;
    private final AtomicBoolean stale = new AtomicBoolean(true);
    private volatile List<McpTool> tools = List.of();

    public ServerTools(String server, McpSyncClient client, Duration timeout) {
        this.server = server;
        this.client = client;
        this.timeout = timeout;
    }

    public String server() { return server; }

    /** The server's tools now; fetched again only after {@link #listChanged}. */
    public List<McpTool> tools() {
        if (stale.getAndSet(false)) {
            try {
                tools = fetch();
            } catch (RuntimeException e) {
                stale.set(true); // try again next step
            }
        }
        return tools;
    }

    /** The server announced {@code notifications/tools/list_changed}: fetch the list again at the next step. */
    public void listChanged() { stale.set(true); }

    /** {@link #listChanged} as the SDK's tools-change consumer, which receives the new list (ignored: fetched lazily). */
    public void listChanged(List<McpSchema.Tool> ignored) { listChanged(); }

    private List<McpTool> fetch() {
        var out = new ArrayList<McpTool>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = cursor == null ? client.listTools() : client.listTools(cursor);
            for (McpSchema.Tool t : page.tools()) out.add(new McpTool(server, client, t, timeout));
            cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty());
        out.sort(Comparator.comparing(McpTool::name));
        return List.copyOf(out);
    }

    /** These tools as the tool SPI's list type. */
    public List<Tool<?>> asTools() { return List.copyOf(tools()); }
}
