package dev.lathe.mcp;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What Lathe knows about one configured MCP server at an instant: its phase, the last error (kept across a restart so
 * {@code lathe mcp list} can say why a server is down), how many times it was restarted, and since when it is in this
 * phase. Immutable; {@link McpConnections} publishes a new one on every change.
 */
public record McpServerStatus(String name, Phase phase, Optional<String> lastError, int restarts, Instant since) {

    public McpServerStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(since, "since");
    }

    /** The states of DESIGN §14 ({@code starting|connected|failed|disabled|needs_auth}), in their wire spelling. */
    public enum Phase {
        STARTING("starting"), CONNECTED("connected"), FAILED("failed"), DISABLED("disabled"), NEEDS_AUTH("needs_auth");

        private final String wire;

        Phase(String wire) { this.wire = wire; }

        /** The lower-case name used in events, {@code GET /mcp} and {@code lathe mcp list}. */
        public String wire() { return wire; }
    }
}
