package dev.lathe.mcp.connect;

import dev.lathe.mcp.client.ServerClient;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One live, initialized connection to an MCP server. {@link #ended()} completes with a reason when the server goes
 * away on its own (a local process exits); {@link #close()} ends the connection and everything it started.
 */
public record Connection(ServerClient client, CompletableFuture<String> ended, AutoCloseable resources)
        implements AutoCloseable {

    public Connection {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(ended, "ended");
        Objects.requireNonNull(resources, "resources");
    }

    /** Closes the client without waiting on the server, then releases the resources (kills a process group). */
    @Override
    public void close() {
        client.close(); // never throws: the server may already be gone; what matters is that its process is killed below
        try {
            resources.close();
        } catch (Exception ignored) {
            // releasing is best effort: a process group already dead cannot be killed twice
        }
        ended.complete("closed");
    }
}
