package dev.lathe.mcp.bridge;

import dev.lathe.tools.Tool;
import dev.lathe.mcp.client.ServerClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tools of one connected server, as {@link McpTool}s sorted by name. The list is fetched ({@code tools/list},
 * every page) by {@link #refresh}, which the connection calls once the server is initialised, on its own background
 * thread; it is kept until the server says it changed: it registers {@link #listChanged} with the client
 * ({@link ServerClient#onToolsListChanged}, which on 2026-07-28 opens the server's {@code subscriptions/listen} stream),
 * and the next {@link #tools} starts a fetch in the background, so the new list reaches the
 * model from a following step. {@link #tools} never waits on the server: a server that is down (whose requests hang
 * until the SDK's request timeout) keeps offering what it offered, and calling those tools gives the model a readable
 * error.
 */
public final class ServerTools {
    private final String server;
    private final ServerClient client;
    private final Duration timeout;
    private final AtomicBoolean stale = new AtomicBoolean(false);
    private final AtomicBoolean fetching = new AtomicBoolean(false);
    private volatile List<McpTool> tools = List.of();
    private final RunningCalls calls;

    /** Tools whose server's elicitations find nobody to ask. */
    public ServerTools(String server, ServerClient client, Duration timeout) {
        this(server, client, timeout, new RunningCalls());
    }

    /** Tools whose calls are entered in {@code calls} (the project's), so the server's elicitations reach the session. */
    public ServerTools(String server, ServerClient client, Duration timeout, RunningCalls calls) {
        this.calls = calls;
        this.server = server;
        this.client = client;
        this.timeout = timeout;
        client.onToolsListChanged(this::listChanged);
    }

    public String server() { return server; }

    /** The server's configured timeout, which bounds each call of its tools. */
    public Duration timeout() { return timeout; }

    /** The server's tools as last fetched (empty before the first {@link #refresh}); never blocks. */
    public List<McpTool> tools() {
        if (stale.get() && fetching.compareAndSet(false, true)) {
            Thread.ofVirtual().name("mcp-tools-" + server).start(() -> {
                try {
                    refresh();
                } finally {
                    fetching.set(false);
                }
            });
        }
        return tools;
    }

    /**
     * Fetches the list now, waiting for the server; whether it answered. On failure the last list is kept and the
     * next {@link #tools} tries again.
     */
    public boolean refresh() {
        stale.set(false);
        try {
            tools = fetch();
            return true;
        } catch (RuntimeException e) {
            stale.set(true);
            return false;
        }
    }

    /** The server announced {@code notifications/tools/list_changed}: fetch the list again. */
    public void listChanged() { stale.set(true); }

    /** {@link #listChanged} as the SDK's tools-change consumer, which receives the new list (ignored: fetched again). */
    public void listChanged(List<McpSchema.Tool> ignored) { listChanged(); }

    private List<McpTool> fetch() {
        var out = new ArrayList<McpTool>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = cursor == null ? client.listTools() : client.listTools(cursor);
            for (McpSchema.Tool t : page.tools()) out.add(new McpTool(server, client, t, timeout, calls));
            cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty());
        out.sort(Comparator.comparing(McpTool::name));
        return List.copyOf(out);
    }

    /** These tools as the tool SPI's list type. */
    public List<Tool<?>> asTools() { return List.copyOf(tools()); }
}
