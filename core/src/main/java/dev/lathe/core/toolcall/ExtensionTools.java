package dev.lathe.core.toolcall;

import dev.lathe.tools.Tool;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Tools from outside the built-in registry whose set changes while the server runs: a project's MCP servers, its
 * script tools and Java plugins (DESIGN §14); several sources are offered as one with {@link #concat}. Asked at every step, per project and session, because servers start in the background, announce
 * {@code tools/list_changed}, and may be deferred behind {@code tool_search} with what a session found appended.
 *
 * <p>Contract: {@link #offered} is cheap and never waits on a server; its order is the request order after the
 * built-ins and may only grow at its end from one step to the next (the cached prefix stays byte-stable) unless a
 * server's list changed. {@link #find} also finds a tool not offered (a deferred tool called by its exact name).
 * {@code projectDir} is the project's absolute, normalised root.
 */
public interface ExtensionTools {
    /** The name of the tool deferred tools are found with (DESIGN §18). */
    String SEARCH_TOOL = "tool_search";

    /** The tools appended after the built-ins in this step's request of {@code sessionId}, in request order. */
    List<Tool<?>> offered(Path projectDir, String sessionId);

    /** The tool called {@code name} in the project at {@code projectDir}, offered or not. */
    Optional<Tool<?>> find(Path projectDir, String name);

    /**
     * The tool called {@code name} for session {@code sessionId} of the project at {@code projectDir}, offered or not:
     * a source whose tools differ by session (the MCP servers a client brought for one session) answers per session;
     * the others as {@link #find(Path, String)}.
     */
    default Optional<Tool<?>> find(Path projectDir, String sessionId, String name) {
        return find(projectDir, name);
    }

    /**
     * {@code first}'s tools, then {@code then}'s, as one source: a name {@code first} offers hides {@code then}'s tool
     * of that name (the model could not tell them apart). Put the source whose list only ever grows at its end (MCP's,
     * deferred behind {@code tool_search}) last, so the request's tool list keeps growing only at its end.
     */
    static ExtensionTools concat(ExtensionTools first, ExtensionTools then) {
        return new ExtensionTools() {
            @Override
            public List<Tool<?>> offered(Path projectDir, String sessionId) {
                List<Tool<?>> head = first.offered(projectDir, sessionId);
                List<Tool<?>> tail = then.offered(projectDir, sessionId);
                if (head.isEmpty()) return tail;
                if (tail.isEmpty()) return head;
                var names = new java.util.HashSet<String>();
                var out = new java.util.ArrayList<Tool<?>>();
                for (Tool<?> t : head) if (names.add(t.name())) out.add(t);
                for (Tool<?> t : tail) if (names.add(t.name())) out.add(t);
                return List.copyOf(out);
            }

            @Override
            public Optional<Tool<?>> find(Path projectDir, String name) {
                return first.find(projectDir, name).or(() -> then.find(projectDir, name));
            }

            @Override
            public Optional<Tool<?>> find(Path projectDir, String sessionId, String name) {
                return first.find(projectDir, sessionId, name).or(() -> then.find(projectDir, sessionId, name));
            }
        };
    }

    /** No extension tools: only the registry's. */
    ExtensionTools NONE = new ExtensionTools() {
        @Override public List<Tool<?>> offered(Path projectDir, String sessionId) { return List.of(); }

        @Override public Optional<Tool<?>> find(Path projectDir, String name) { return Optional.empty(); }
    };
}
