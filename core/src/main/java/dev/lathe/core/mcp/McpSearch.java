package dev.lathe.core.mcp;

import dev.lathe.mcp.bridge.DeferredTools;
import dev.lathe.protocol.session.Wrapper;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code mcp_search {query}} (DESIGN §28): the tools of the servers in Code Mode, found by words of their names and
 * descriptions — each a name and a one-line description — or, for a query that names tools exactly, their whole
 * descriptions and input schemas, which {@code mcp_execute}'s code needs. The schemas thus enter the conversation
 * only when asked for, never the request's prefix.
 */
final class McpSearch implements Tool<McpSearch.Args> {
    static final String NAME = "mcp_search";
    /** At most this many tools are listed for one query, best first. */
    static final int MAX_LISTED = 25;
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\",\"description\":"
            + "\"Words to match (e.g. 'issue create'), or exact tool names separated by spaces for their input schemas.\"}},\"required\":[\"query\"]}";
    private static final String DESCRIPTION = """
            Find the tools of the user's MCP servers, which you call from mcp_execute's code. Words list matching tools \
            (name and one line each); exact names give their full descriptions and input schemas.""";

    /** The tools in Code Mode of a call's project (found when called: servers may still be starting). */
    private final Function<ToolContext, List<Tool<?>>> tools;

    McpSearch(Function<ToolContext, List<Tool<?>>> tools) {
        this.tools = tools;
    }

    /** The query: words, or exact tool names. */
    record Args(String query) {}

    @Override public String name() { return NAME; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        List<Tool<?>> all = tools.apply(ctx);
        String query = args.query() == null ? "" : args.query().strip();
        if (all.isEmpty()) return ToolResult.of(NAME + " " + query, "No MCP server in Code Mode has tools (yet): its server may have failed to start.");
        List<String> words = List.of(query.toLowerCase(Locale.ROOT).split("[\\s,]+")).stream().filter(w -> !w.isEmpty()).toList();
        List<Tool<?>> named = all.stream().filter(t -> words.contains(t.name().toLowerCase(Locale.ROOT))).toList();
        if (!named.isEmpty() && named.size() == words.size()) return ToolResult.of(NAME + " " + query, schemas(named));
        record Scored(Tool<?> tool, int score) {}
        List<Tool<?>> found = all.stream().map(t -> new Scored(t, DeferredTools.score(t, query, words))).filter(s -> words.isEmpty() || s.score() > 0)
                .sorted(Comparator.comparingInt(Scored::score).reversed().thenComparing(s -> s.tool().name()))
                .limit(MAX_LISTED).<Tool<?>>map(Scored::tool).toList();
        if (found.isEmpty()) return ToolResult.of(NAME + " " + query, "No tool matches \"" + query + "\". Try other words, or an empty query for all.");
        var out = new StringBuilder("Call them in mcp_execute as await tools.NAME({...}); give exact names to mcp_search for their schemas.\n");
        for (Tool<?> t : found) out.append('\n').append(t.name()).append(" — ").append(oneLine(t.description()));
        return ToolResult.of(NAME + " " + query, out.toString());
    }

    private static String schemas(List<Tool<?>> tools) {
        var out = new StringBuilder();
        // the server's words: escaped, a description cannot end its block and pose as Lathe's own text
        for (Tool<?> t : tools) out.append(Wrapper.TOOL.wrap(t.description().strip() + "\ninput schema: " + t.parametersSchema(), t.name())).append('\n');
        return out.toString();
    }

    /** The first line of {@code text}, at most 160 characters, with no control characters. */
    static String oneLine(String text) {
        String line = text.strip().lines().findFirst().orElse("").replaceAll("\\p{Cntrl}", " ");
        return line.length() <= 160 ? line : line.substring(0, 157) + "...";
    }
}
