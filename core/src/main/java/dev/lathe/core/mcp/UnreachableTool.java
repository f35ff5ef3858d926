package dev.lathe.core.mcp;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.Set;

/**
 * An MCP tool whose server is down and not about to come back ({@link ServerOutages}): it keeps the tool's name,
 * schema and effects (so the permission gate and hooks see the same tool), and a call fails at once with what
 * happened, instead of waiting for a dead connection's timeout.
 */
final class UnreachableTool<A extends Record> implements Tool<A> {
    private final Tool<A> tool;
    private final String server;
    private final String why;

    UnreachableTool(Tool<A> tool, String server, String why) {
        this.tool = tool;
        this.server = server;
        this.why = why;
    }

    @Override public String name() { return tool.name(); }

    @Override public String description() { return tool.description(); }

    @Override public String parametersSchema() { return tool.parametersSchema(); }

    @Override public Class<A> argsType() { return tool.argsType(); }

    @Override public Set<Effect> effects() { return tool.effects(); }

    @Override public PermissionSource permission() { return tool.permission(); }

    @Override public Truncation.Keep truncation() { return tool.truncation(); }

    @Override public ToolResult run(A args, ToolContext ctx) {
        throw new ToolFailure("MCP server " + server + " is not connected (" + why + "). It is restarted in the background; "
                + "try again later, or go on without it.");
    }
}
