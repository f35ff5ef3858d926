package dev.lathe.core.mcp;

import dev.lathe.mcp.McpServerStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The servers of one project whose connection ended after their tools were fetched (issue 42): their tools stay
 * offered (the request's tool list stays stable), but a call must not go to the dead client, where it would wait for
 * the SDK's request timeout. A server that dropped from {@code connected} is restarted after the first backoff (about
 * a second): a call waits for that restart, up to the server's timeout. A server whose restart failed too, or that
 * needs a sign-in, is not waited for: a call to it fails at once.
 */
final class ServerOutages {
    private final Map<String, String> down = new ConcurrentHashMap<>();
    private final Map<String, Duration> restarting = new ConcurrentHashMap<>();
    private final Map<String, McpServerStatus.Phase> phases = new ConcurrentHashMap<>();

    /** A status of server {@code s.name()}; {@code timeout} is the timeout of its tools fetched before, if any. */
    void status(McpServerStatus s, Optional<Duration> timeout) {
        String name = s.name();
        McpServerStatus.Phase before = phases.put(name, s.phase());
        if (timeout.isEmpty()) return; // no tools were offered: nothing can be called on a dead client
        switch (s.phase()) {
            case FAILED -> {
                down.put(name, s.lastError().orElse("it failed"));
                // a crash of a connected server: the supervisor starts it again after its first backoff
                if (before == McpServerStatus.Phase.CONNECTED) restarting.put(name, timeout.get());
                else restarting.remove(name);
            }
            case STARTING -> down.putIfAbsent(name, "it is restarting");
            case NEEDS_AUTH -> {
                down.put(name, "it needs a sign-in (lathe mcp auth " + name + ")");
                restarting.remove(name);
            }
            case DISABLED -> {
                down.put(name, "it is disabled");
                restarting.remove(name);
            }
            case CONNECTED -> { } // up again once its new tools are in (up)
        }
    }

    /** The server's tools were fetched from a live connection. */
    void up(String name) {
        down.remove(name);
        restarting.remove(name);
    }

    /** Why the server's offered tools cannot be called now; empty while it is connected. */
    Optional<String> down(String name) {
        return Optional.ofNullable(down.get(name));
    }

    /** The servers that crashed while connected and are being restarted, with their timeouts. */
    Map<String, Duration> restarting() {
        return Map.copyOf(restarting);
    }
}
