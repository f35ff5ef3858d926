package dev.lathe.core.mcp;

import dev.lathe.core.network.OutboundGate;
import dev.lathe.core.network.Purpose;
import dev.lathe.mcp.oauth.OutboundCheck;
import java.util.Optional;

/**
 * A project's {@link OutboundGate} as the {@link OutboundCheck} MCP OAuth asks before each request (decision 120): the
 * purpose is {@code mcp NAME sign-in}, so local-only mode lets it reach loopback only, and a refusal is recorded once
 * in the server's {@code BlockedConnections} under the project's folder, like the remote server's own ({@code mcp NAME}).
 */
public final class McpOutbound {
    private McpOutbound() {}

    public static OutboundCheck of(OutboundGate gate) {
        if (!gate.isLocal()) return OutboundCheck.ANYWHERE;
        return (server, target) -> gate.allows(Purpose.mcpSignIn(server), target)
                ? Optional.empty() : Optional.of(gate.refusal(Purpose.mcpSignIn(server), target));
    }
}
