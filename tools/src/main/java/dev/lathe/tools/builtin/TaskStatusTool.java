package dev.lathe.tools.builtin;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Subagents;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code task_status}: the state of one or all of the session's background tasks (DESIGN §18 "Background subagents"). */
final class TaskStatusTool implements Tool<TaskStatusTool.Args> {
    record Args(Optional<String> id) {}

    private static final String DESCRIPTION = Builtins.description("task_status");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "id":{"type":"string","description":"A taskId; leave out for every background task"}},\
            "required":[],"additionalProperties":false}""";

    @Override public String name() { return "task_status"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.TRACKS_SUBAGENTS); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        List<Subagents.Task> tasks = ctx.session().subagents().tasks();
        Optional<String> id = args.id().map(String::strip).filter(s -> !s.isEmpty());
        if (id.isPresent()) {
            tasks = tasks.stream().filter(t -> t.id().equals(id.get())).toList();
            if (tasks.isEmpty()) throw new ToolFailure("No background task " + id.get() + " was started by this session.");
        }
        if (tasks.isEmpty()) return new ToolResult("No background tasks were started in this session.", "no tasks", Map.of());
        var out = new StringBuilder();
        for (Subagents.Task t : tasks) out.append(line(t)).append('\n');
        long running = tasks.stream().filter(t -> t.status().equals("running")).count();
        return new ToolResult(out.toString().strip(), running + " running", Map.of("running", Long.toString(running)));
    }

    /** {@code ID status (agent NAME): DESCRIPTION}, one per task. */
    static String line(Subagents.Task t) {
        return t.id() + " " + t.status() + " (agent " + t.agent() + "): " + t.description();
    }
}
