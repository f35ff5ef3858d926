package dev.lathe.tools;

import dev.lathe.llm.ToolSpec;
import dev.lathe.tools.builtin.Builtins;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The tools offered to the model, sorted by name so their definitions serialise identically every time. */
public final class ToolRegistry {
    private final List<Tool<?>> tools;

    private ToolRegistry(List<Tool<?>> tools) {
        this.tools = tools.stream().sorted(Comparator.comparing(Tool::name)).toList();
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

    public Optional<Tool<?>> find(String name) { return tools.stream().filter(t -> t.name().equals(name)).findFirst(); }

    public List<ToolSpec> specs() { return tools.stream().map(Tool::spec).toList(); }
}
