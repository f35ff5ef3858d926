package dev.lathe.mcp.bridge;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.Set;

/**
 * The {@code tool_search {query}} tool (DESIGN §18): offered only while some MCP tools are deferred
 * ({@link DeferredTools}); it matches the query's words against the deferred tools' names and descriptions and
 * answers with each match's name, description and schema. The matches join the session's requests from the next step,
 * at the end of the tool list.
 */
public final class ToolSearch implements Tool<ToolSearch.Args> {
    /** The exact name of DESIGN §18. */
    public static final String NAME = "tool_search";
    static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\",\"description\":"
            + "\"Words to match against tool names and descriptions (e.g. 'github issue create').\"}},\"required\":[\"query\"]}";
    private static final String DESCRIPTION = """
            Find tools that are available but not yet listed (tools of the user's MCP servers, deferred to keep the \
            request small). Give words describing what you need; the answer lists matching tools with their \
            descriptions and parameter schemas. A tool found can be called from the next step on, by its exact name.""";

    private final DeferredTools deferred;

    ToolSearch(DeferredTools deferred) {
        this.deferred = deferred;
    }

    /** The query: words matched case-insensitively against names and descriptions. */
    public record Args(String query) {}

    @Override public String name() { return NAME; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override public ToolResult run(Args args, ToolContext ctx) {
        return ToolResult.of("tool_search " + args.query(), deferred.search(ctx.call().sessionId(), args.query()));
    }
}
