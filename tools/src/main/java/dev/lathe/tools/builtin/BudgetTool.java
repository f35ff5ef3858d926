package dev.lathe.tools.builtin;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.Map;
import java.util.Set;

/** {@code budget}: the session's context fill against the compaction point and its spend against the limits (decision 119). */
final class BudgetTool implements Tool<BudgetTool.Args> {
    record Args() {}

    private static final String DESCRIPTION = Builtins.description("budget");
    private static final String SCHEMA = """
            {"type":"object","properties":{},"additionalProperties":false}""";

    @Override public String name() { return "budget"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.READS_SPEND); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        return new ToolResult(ctx.session().budget().report(), "budget", Map.of());
    }
}
