package dev.lathe.tools.builtin;

import dev.lathe.protocol.session.Todo;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code todo}: replaces the session's todo list with the one given (DESIGN §9); the list outlives compaction. */
final class TodoTool implements Tool<TodoTool.Args> {
    /** {@code id}: other harnesses' todo tools number their items, and models carry the habit over; taken and not kept. */
    record Item(String content, String status, Optional<String> priority, Optional<String> id) {}

    record Args(List<Item> todos) {}

    private static final String DESCRIPTION = Builtins.description("todo");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "todos":{"type":"array","items":{"type":"object","properties":{\
            "content":{"type":"string","description":"A short imperative"},\
            "status":{"type":"string","enum":["pending","in_progress","completed","cancelled"]},\
            "priority":{"type":"string","enum":["high","medium","low"],"description":"Default medium"},\
            "id":{"type":"string"}},\
            "required":["content","status"],"additionalProperties":false}}},\
            "required":["todos"],"additionalProperties":false}""";

    @Override public String name() { return "todo"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        List<Todo> todos = args.todos().stream().map(TodoTool::todo).toList();
        ctx.session().todos().replace(todos);
        long open = todos.stream().filter(t -> t.status() == Todo.Status.PENDING || t.status() == Todo.Status.IN_PROGRESS).count();
        return new ToolResult(render(todos), open + " todo(s) open", Map.of("open", Long.toString(open)));
    }

    private static Todo todo(Item item) {
        if (item.content() == null || item.content().isBlank()) throw new ToolFailure("every todo needs a non-empty content");
        try {
            return new Todo(item.content().strip(), Todo.Status.fromWire(item.status()),
                    item.priority().map(Todo.Priority::fromWire).orElse(Todo.Priority.MEDIUM));
        } catch (IllegalArgumentException e) {
            throw new ToolFailure(e.getMessage());
        }
    }

    /** The list as the model reads it back: one line per todo with a checkbox that shows its status. */
    static String render(List<Todo> todos) {
        if (todos.isEmpty()) return "The todo list is empty.";
        var out = new StringBuilder();
        for (Todo t : todos) {
            String box = switch (t.status()) {
                case PENDING -> "[ ]";
                case IN_PROGRESS -> "[~]";
                case COMPLETED -> "[x]";
                case CANCELLED -> "[-]";
            };
            out.append(box).append(' ').append(t.content()).append(" (").append(t.status().wire())
                    .append(t.priority() == Todo.Priority.MEDIUM ? "" : ", " + t.priority().wire()).append(")\n");
        }
        return out.toString().stripTrailing();
    }
}
