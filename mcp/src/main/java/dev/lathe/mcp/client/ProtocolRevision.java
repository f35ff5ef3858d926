package dev.lathe.mcp.client;

/**
 * The MCP revision a connection speaks. {@link #STATELESS} (2026-07-28): no session, every request carries its
 * version and the client's capabilities in {@code _meta}, found with {@code server/discover}. {@link #SESSION}
 * (2025-11-25 and earlier, what the SDK speaks): an {@code initialize} handshake opens a session.
 */
public enum ProtocolRevision {
    STATELESS("2026-07-28"),
    SESSION("2025-11-25");

    private final String version;

    ProtocolRevision(String version) {
        this.version = version;
    }

    /** The newest protocol version string of this revision Lathe speaks. */
    public String version() { return version; }
}
