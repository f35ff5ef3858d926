package dev.lathe.tools.builtin;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Subagents;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.Map;
import java.util.Set;

/** {@code task_cancel}: stops one of the session's running background tasks (DESIGN §18 "Background subagents"). */
final class TaskCancelTool implements Tool<TaskCancelTool.Args> {
    record Args(String id) {}

    private static final String DESCRIPTION = Builtins.description("task_cancel");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "id":{"type":"string","description":"The taskId task returned"}},\
            "required":["id"],"additionalProperties":false}""";

    @Override public String name() { return "task_cancel"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.TRACKS_SUBAGENTS); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        if (args.id() == null || args.id().isBlank()) throw new ToolFailure("id must be the taskId task returned");
        Subagents.Task task = ctx.session().subagents().cancel(args.id().strip());
        String said = task.status().equals("running") ? "Cancelling background task " + task.id() + "; its result arrives as a message once it stopped."
                : "Background task " + task.id() + " had already ended (" + task.status() + ").";
        return new ToolResult(said, task.description(), Map.of("id", task.id(), "status", task.status()));
    }
}
