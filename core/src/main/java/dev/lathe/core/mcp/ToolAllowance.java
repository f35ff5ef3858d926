package dev.lathe.core.mcp;

import dev.lathe.tools.Tool;
import java.nio.file.Path;

/**
 * How much room MCP tool definitions have in a session's first request (DESIGN §16), and what one takes of it: the one
 * port {@link McpExtensionTools} and {@link SessionMcpTools} ask before offering a server's tools one each or deferring
 * them behind {@code tool_search}. The core's is the first-request budget less the built-ins and the extension tools
 * offered before MCP's (decision 536).
 */
public interface ToolAllowance {
    /** The tokens left for MCP tool definitions in the first request of a session of the project at {@code root}; at most 0 defers them all. */
    int left(Path root);

    /** What {@code tool}'s definition costs in a request. */
    int cost(Tool<?> tool);

    /** {@code tokens} for every project, each tool costing {@code cost} (tests, and a caller with a fixed budget). */
    static ToolAllowance fixed(int tokens, java.util.function.ToIntFunction<Tool<?>> cost) {
        return new ToolAllowance() {
            @Override public int left(Path root) { return tokens; }

            @Override public int cost(Tool<?> tool) { return cost.applyAsInt(tool); }
        };
    }
}
