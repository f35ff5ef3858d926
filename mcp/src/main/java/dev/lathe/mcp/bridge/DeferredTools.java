package dev.lathe.mcp.bridge;

import dev.lathe.protocol.session.Wrapper;
import dev.lathe.tools.Tool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Which MCP tools a session's requests carry, under DESIGN §16's budget for the first request (system and tools ≤ 5k
 * tokens). The core gives the allowance left for MCP definitions once the system prompt and built-ins are counted,
 * and how it counts a tool's tokens. When every MCP tool fits, all are offered, sorted by name. When they do not, none
 * is: {@link ToolSearch} is offered instead, and the tools it finds for a session are appended in the order found, so
 * from one step to the next the tool list only grows at its end and the cached prefix stays byte-stable. A deferred
 * tool called by its exact name runs all the same ({@link #find}). While a configured server is still starting, its
 * tools are unknown and so counted as deferred: {@code tool_search} is offered, and waits for them ({@link Starting}).
 *
 * <p>The tools are read from {@code mcpTools} at every step (cheap: each server's list is cached until it changes).
 * What a session found is kept here, per session id, for the life of the project instance.
 */
public final class DeferredTools {
    /** At most this many tools are answered for one query, best first. */
    static final int MAX_MATCHES = 5;

    private final Supplier<List<Tool<?>>> mcpTools;
    private final java.util.function.IntSupplier allowanceTokens;
    private final ToIntFunction<Tool<?>> tokens;
    private final ToolSearch search = new ToolSearch(this);
    private final Map<String, CopyOnWriteArrayList<String>> found = new ConcurrentHashMap<>();
    private final Starting starting;

    /**
     * Servers configured but whose tools are not known yet (starting): while some are, their tools count as deferred,
     * so {@code tool_search} is offered from a session's first request (issue 42) and waits for them when called.
     */
    public interface Starting {
        /** Nothing starts: every server's tools are known, or its server failed. */
        Starting NONE = new Starting() {
            @Override public boolean any() { return false; }

            @Override public void await() { }
        };

        /** Whether some configured server has not delivered its tools yet. */
        boolean any();

        /** Waits until no server is starting any more, each at most its timeout. */
        void await();
    }

    public DeferredTools(Supplier<List<Tool<?>>> mcpTools, int allowanceTokens, ToIntFunction<Tool<?>> tokens) {
        this(mcpTools, () -> allowanceTokens, tokens);
    }

    /**
     * @param allowanceTokens read at every step: what other extension tools offered before MCP's (the {@code lsp} tool,
     *     plugins' tools) take from the allowance changes with the project
     */
    public DeferredTools(Supplier<List<Tool<?>>> mcpTools, java.util.function.IntSupplier allowanceTokens, ToIntFunction<Tool<?>> tokens) {
        this(mcpTools, allowanceTokens, tokens, Starting.NONE);
    }

    /** As above, the tools of servers still {@code starting} counted as deferred. */
    public DeferredTools(Supplier<List<Tool<?>>> mcpTools, java.util.function.IntSupplier allowanceTokens, ToIntFunction<Tool<?>> tokens,
            Starting starting) {
        this.mcpTools = mcpTools;
        this.allowanceTokens = allowanceTokens;
        this.tokens = tokens;
        this.starting = starting;
    }

    /** The tools to append after the built-ins in this step's request of {@code sessionId}, in request order. */
    public List<Tool<?>> offered(String sessionId) {
        List<Tool<?>> all = sorted(mcpTools.get());
        if (fits(all) && !starting.any()) return all;
        var out = new ArrayList<Tool<?>>();
        out.add(search);
        for (String name : found.getOrDefault(sessionId, new CopyOnWriteArrayList<>())) byName(all, name).ifPresent(out::add);
        return List.copyOf(out);
    }

    /** Whether the MCP tools are deferred behind {@code tool_search} now. */
    public boolean deferring() { return starting.any() || !fits(mcpTools.get()); }

    /** The MCP tool (or {@code tool_search}) called {@code name}, offered or deferred. */
    public Optional<Tool<?>> find(String name) {
        if (name.equals(ToolSearch.NAME)) return deferring() ? Optional.of(search) : Optional.empty();
        return byName(mcpTools.get(), name);
    }

    /** {@code tool_search}'s answer for {@code query}, remembering the matches as found by {@code sessionId}. */
    String search(String sessionId, String query) {
        // the first step's search finds the tools of servers that were still starting when it was sent
        starting.await();
        List<String> words = List.of(query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")).stream().filter(w -> !w.isEmpty()).toList();
        record Scored(Tool<?> tool, int score) {}
        List<Tool<?>> matches = sorted(mcpTools.get()).stream()
                .map(t -> new Scored(t, score(t, query.trim(), words)))
                .filter(s -> s.score() > 0)
                .sorted(Comparator.comparingInt(Scored::score).reversed().thenComparing(s -> s.tool().name()))
                .limit(MAX_MATCHES).<Tool<?>>map(Scored::tool).toList();
        if (matches.isEmpty()) return "No tool matches \"" + query + "\". Try other words.";
        var set = found.computeIfAbsent(sessionId, _ -> new CopyOnWriteArrayList<>());
        var out = new StringBuilder("Found " + matches.size() + " tool(s); call them by name from now on.\n");
        for (Tool<?> t : matches) {
            set.addIfAbsent(t.name());
            // the server's words: escaped, a description cannot end its block and describe a tool of Lathe's own
            out.append('\n').append(Wrapper.TOOL.wrap(t.description().strip() + "\nparameters: " + t.parametersSchema(), t.name())).append('\n');
        }
        return out.toString();
    }

    /**
     * How well {@code tool} matches {@code query} (its lower-case {@code words}): its exact name first, then whole words of
     * its name, pieces of it, and words of its description; 0 when nothing matches. Code Mode's {@code mcp_search} ranks
     * by it too.
     */
    public static int score(Tool<?> tool, String query, List<String> words) {
        if (tool.name().equals(query)) return 1_000;
        String name = tool.name().toLowerCase(Locale.ROOT);
        String description = tool.description().toLowerCase(Locale.ROOT);
        List<String> nameWords = List.of(name.split("[_-]+"));
        int score = 0;
        for (String w : words) {
            // a whole word of the name (a server's name, a verb) counts more than a piece of one
            if (nameWords.contains(w)) score += 5;
            else if (name.contains(w)) score += 3;
            if (description.contains(w)) score += 1;
        }
        return score;
    }

    private boolean fits(List<Tool<?>> all) {
        long sum = 0;
        for (Tool<?> t : all) sum += tokens.applyAsInt(t);
        return sum <= allowanceTokens.getAsInt();
    }

    private static List<Tool<?>> sorted(List<Tool<?>> tools) {
        return tools.stream().sorted(Comparator.comparing(Tool::name)).toList();
    }

    private static Optional<Tool<?>> byName(List<Tool<?>> tools, String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
