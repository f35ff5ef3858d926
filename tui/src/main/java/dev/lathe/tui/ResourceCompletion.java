package dev.lathe.tui;

import dev.lathe.protocol.api.McpResourceInfo;
import dev.lathe.tui.input.Fuzzy;
import dev.lathe.tui.view.Picker;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Completion of {@code @server:uri} (DESIGN §14): the resources of the folder's connected MCP servers
 * ({@code GET /mcp/resources}), asked once per {@code @} word typed, so a server that connected since is offered at the
 * next one. A resource completes to {@code @server:uri } (the server reads it when the prompt is sent); a resource
 * template completes to its URI up to the first variable, without a space, for the user to finish
 * ({@code @everything:demo://text/}).
 */
final class ResourceCompletion {
    private final Supplier<List<McpResourceInfo>> source;
    private List<McpResourceInfo> resources = List.of();
    /** The completions offered that are resources, not files: they must not become file parts. */
    private final Set<String> offered = new HashSet<>();

    /** @param source the folder's resources as the server answers them now ({@code api.mcpResources(directory)}) */
    ResourceCompletion(Supplier<List<McpResourceInfo>> source) {
        this.source = source;
    }

    /** A new {@code @} word: the servers' lists are asked again. */
    void refresh() {
        resources = Ui.safe(source::get);
    }

    /** The resources matching {@code query} (what follows the {@code @}), best first, at most {@code limit}. */
    List<Picker.Item<String>> items(String query, int limit) {
        List<Picker.Item<String>> all = resources.stream().map(ResourceCompletion::item).toList();
        List<Picker.Item<String>> ranked = query.isEmpty() ? all : Fuzzy.rank(query, all, Picker.Item::label);
        List<Picker.Item<String>> out = ranked.subList(0, Math.min(limit, ranked.size()));
        out.forEach(i -> offered.add(i.value()));
        return out;
    }

    /** Whether {@code completion} (a value {@link #items} gave) is a resource rather than a file. */
    boolean isResource(String completion) {
        return offered.contains(completion);
    }

    private static Picker.Item<String> item(McpResourceInfo r) {
        String label = r.server() + ":" + r.uri();
        if (r.template()) {
            int variable = r.uri().indexOf('{');
            return new Picker.Item<>("@" + r.server() + ":" + (variable < 0 ? r.uri() : r.uri().substring(0, variable)), label, detail(r));
        }
        return new Picker.Item<>("@" + label + " ", label, detail(r));
    }

    private static String detail(McpResourceInfo r) {
        String what = r.description().isBlank() ? r.name() : r.description();
        return (r.template() ? "template · " : "") + what;
    }
}
