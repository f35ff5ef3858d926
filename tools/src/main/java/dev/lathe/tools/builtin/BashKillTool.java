package dev.lathe.tools.builtin;

import dev.lathe.tools.BackgroundCommands;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.Map;
import java.util.Set;

/** {@code bash_kill}: kills a background command with its whole process group. */
final class BashKillTool implements Tool<BashKillTool.Args> {
    record Args(String id) {}

    private static final String DESCRIPTION = Builtins.description("bash_kill");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "id":{"type":"string","description":"The id bash returned for a background command"}},\
            "required":["id"],"additionalProperties":false}""";

    @Override public String name() { return "bash_kill"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.RUNS_PROCESSES, Effect.MAY_CHANGE_ANY_FILE, Effect.TRACKS_COMMANDS); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        BackgroundCommands.Command job = ctx.session().background().find(ctx.call().sessionId(), args.id())
                .orElseThrow(() -> new ToolFailure(BashOutputTool.unknown(args.id(), ctx)));
        if (!job.alive()) {
            return new ToolResult("Background command " + job.id() + " had already ended (" + job.status() + ", exit code "
                    + job.exitCode().getAsInt() + ").", job.command(), Map.of("id", job.id(), "status", job.status()));
        }
        job.kill();
        return new ToolResult("Killed background command " + job.id() + " and every process it started.", job.command(),
                Map.of("id", job.id(), "status", "killed"));
    }
}
