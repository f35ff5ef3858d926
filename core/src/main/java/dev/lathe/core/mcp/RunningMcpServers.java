package dev.lathe.core.mcp;

import dev.lathe.mcp.McpConnections;
import dev.lathe.mcp.McpServerSpec;
import dev.lathe.mcp.McpServerStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MCP servers running now, by key (a project's root for {@link ProjectMcpServers}, a session's id for
 * {@link SessionMcpServers}): those classes start and stop them here; the tools and content that use them look them up
 * here. Built first, so the servers (whose statuses reach the tools) and the tools (which look up the servers' clients)
 * are each built once, in order, without a forward reference to the other (issue 41).
 *
 * @param <K> what the servers run for
 * @param <E> what their owner keeps with each key's servers (the environment they started from; a session's root)
 */
public final class RunningMcpServers<K, E> {
    /** What runs for one key: its servers' entries and their connections, and what the owner keeps with them. */
    record Running<E>(List<McpServerSpec> specs, McpConnections connections, E kept) {}

    final Map<K, Running<E>> byKey = new ConcurrentHashMap<>();

    /** The connections running for {@code key}. */
    public Optional<McpConnections> of(K key) {
        return Optional.ofNullable(byKey.get(key)).map(r -> r.connections());
    }

    /** The connected client of server {@code name} running for {@code key}, with its configured timeout. */
    public Optional<McpExtensionTools.Connected> client(K key, String name) {
        Running<E> r = byKey.get(key);
        if (r == null) return Optional.empty();
        Optional<Duration> timeout = r.specs().stream().filter(s -> s.name().equals(name)).map(McpServerSpec::timeout).findFirst();
        return r.connections().client(name).flatMap(c -> timeout.map(t -> new McpExtensionTools.Connected(c, t)));
    }

    /**
     * The servers running for {@code key} that are starting now (their first start, or a restart after a crash), or
     * connected with their tools perhaps still being fetched, each with its configured timeout: what a call to one of
     * their tools waits for (DESIGN §18).
     */
    public Map<String, Duration> starting(K key) {
        Running<E> r = byKey.get(key);
        if (r == null) return Map.of();
        Map<String, Duration> out = new HashMap<>();
        for (McpServerStatus status : r.connections().statuses()) {
            if (status.phase() != McpServerStatus.Phase.STARTING && status.phase() != McpServerStatus.Phase.CONNECTED) continue;
            r.specs().stream().filter(s -> s.name().equals(status.name())).findFirst().ifPresent(s -> out.put(s.name(), s.timeout()));
        }
        return out;
    }

    /** The enabled servers running for {@code key} whose tools are offered through Code Mode (DESIGN §28). */
    public java.util.Set<String> codeMode(K key) {
        Running<E> r = byKey.get(key);
        if (r == null) return java.util.Set.of();
        return r.specs().stream().filter(s -> s.offer() == McpServerSpec.Offer.CODE_MODE && s.activation() == McpServerSpec.Activation.ENABLED)
                .map(McpServerSpec::name).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * Every server's status running for {@code key}, in the order given; empty when none runs. Errors are scrubbed of
     * the entries' credentials ({@link McpSecrets}), as the statuses given to the owner's listener are.
     */
    public List<McpServerStatus> statuses(K key) {
        Running<E> r = byKey.get(key);
        if (r == null) return List.of();
        Map<String, McpSecrets> secrets = secrets(r.specs());
        return r.connections().statuses().stream().map(s -> scrubbed(secrets, s)).toList();
    }

    static Map<String, McpSecrets> secrets(List<McpServerSpec> specs) {
        Map<String, McpSecrets> out = new HashMap<>();
        for (McpServerSpec spec : specs) out.put(spec.name(), McpSecrets.of(spec));
        return out;
    }

    static McpServerStatus scrubbed(Map<String, McpSecrets> secrets, McpServerStatus status) {
        McpSecrets s = secrets.get(status.name());
        return s == null ? status : s.scrub(status);
    }
}
