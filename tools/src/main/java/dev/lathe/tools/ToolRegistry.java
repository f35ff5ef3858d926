package dev.lathe.tools;

import dev.lathe.llm.ToolSpec;
import dev.lathe.tools.builtin.Builtins;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tools offered to the model, sorted by name so their definitions serialise identically every time. */
public final class ToolRegistry {
    private final List<Tool<?>> tools;
    /** The tools by name, made with the list: a call's lookup is one hash probe, not a scan (the first of a name wins, as a scan found it). */
    private final Map<String, Tool<?>> byName;

    private ToolRegistry(List<Tool<?>> tools) {
        this.tools = tools.stream().sorted(Comparator.comparing(Tool::name)).toList();
        Map<String, Tool<?>> names = new HashMap<>();
        for (Tool<?> t : this.tools) names.putIfAbsent(t.name(), t);
        this.byName = Map.copyOf(names);
    }

    public static ToolRegistry builtins() { return new ToolRegistry(Builtins.all()); }

    public static ToolRegistry of(List<Tool<?>> tools) { return new ToolRegistry(tools); }

    /**
     * This registry and {@code more}, for tools from outside the built-in set (MCP, plugins, tests); a name that is
     * already taken is an error, since the model could not tell the two apart.
     */
    public ToolRegistry plus(List<Tool<?>> more) {
        var all = new java.util.ArrayList<>(tools);
        var names = new java.util.HashSet<>(tools.stream().map(Tool::name).toList());
        for (Tool<?> t : more) {
            if (!names.add(t.name())) throw new IllegalArgumentException("a tool named " + t.name() + " is already registered");
            all.add(t);
        }
        return new ToolRegistry(all);
    }

    public List<Tool<?>> all() { return tools; }

    public Optional<Tool<?>> find(String name) { return Optional.ofNullable(byName.get(name)); }

    public List<ToolSpec> specs() { return tools.stream().map(Tool::spec).toList(); }
}
