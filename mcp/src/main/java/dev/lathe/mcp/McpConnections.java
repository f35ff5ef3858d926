package dev.lathe.mcp;

import dev.lathe.mcp.client.ServerClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The MCP servers of one project instance (DESIGN §14). {@link #start} returns at once: every enabled server is
 * started on its own virtual thread, so the first model request never waits for one. Each server has a
 * {@link McpServerStatus} (published to the listener on every change), is restarted with backoff when it fails or
 * dies, and while connected hands out its client.
 *
 * <p>The client is a blocking {@link ServerClient} (the SDK's session client for a 2025-11-25 server, Lathe's own for
 * a 2026-07-28 one): Lathe's tools run on virtual threads, so blocking is cheap and keeps the bridge free of Reactor. A call on a client whose server dies fails with an exception (the
 * caller turns it into a tool error); the next {@link #client} returns the restarted server's client.
 * {@link #close} stops every server: a local server's whole process group is killed.
 */
public final class McpConnections implements AutoCloseable {
    private final Map<String, ServerSupervisor> servers;

    private McpConnections(Map<String, ServerSupervisor> servers) {
        this.servers = servers;
    }

    /** Starts every enabled server of {@code specs} in the background; names must be unique. Never blocks on a server. */
    public static McpConnections start(List<McpServerSpec> specs, McpOptions options, Consumer<McpServerStatus> listener) {
        Map<String, ServerSupervisor> servers = new LinkedHashMap<>();
        for (McpServerSpec spec : specs) {
            if (servers.containsKey(spec.name())) throw new IllegalArgumentException("duplicate MCP server " + spec.name());
            servers.put(spec.name(), new ServerSupervisor(spec, options, listener));
        }
        servers.values().forEach(ServerSupervisor::start);
        return new McpConnections(Collections.unmodifiableMap(servers));
    }

    /** Every configured server's current status, in configuration order. */
    public List<McpServerStatus> statuses() {
        List<McpServerStatus> list = new ArrayList<>();
        servers.values().forEach(s -> list.add(s.status()));
        return List.copyOf(list);
    }

    /** The connected client of server {@code name}; empty while it is not {@code connected}. */
    public Optional<ServerClient> client(String name) {
        ServerSupervisor s = servers.get(name);
        return s == null ? Optional.empty() : s.client();
    }

    /**
     * Restarts server {@code name} now (after {@code lathe mcp auth}, or a user's request): a failed or {@code needs_auth}
     * one is retried at once, a connected one is connected again; an unknown name does nothing.
     */
    public void restart(String name) {
        ServerSupervisor s = servers.get(name);
        if (s != null) s.restart();
    }

    /** Stops every server and kills what they started; waits for them. */
    @Override
    public void close() {
        servers.values().parallelStream().forEach(ServerSupervisor::stop);
    }
}
