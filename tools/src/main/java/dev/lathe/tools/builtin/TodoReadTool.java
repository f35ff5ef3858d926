package dev.lathe.tools.builtin;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.Map;
import java.util.Set;

/** {@code todoread}: the session's current todo list (useful after compaction summarised the turn that wrote it). */
final class TodoReadTool implements Tool<TodoReadTool.Args> {
    record Args() {}

    private static final String DESCRIPTION = Builtins.description("todoread");
    private static final String SCHEMA = """
            {"type":"object","properties":{},"additionalProperties":false}""";

    @Override public String name() { return "todoread"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.READS_TODOS); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        var todos = ctx.session().todos().current();
        return new ToolResult(TodoTool.render(todos), todos.size() + " todo(s)", Map.of());
    }
}
