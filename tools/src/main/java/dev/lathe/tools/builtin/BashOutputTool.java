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
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/** {@code bash_output}: what a background command printed since the last read, with its status and exit code. */
final class BashOutputTool implements Tool<BashOutputTool.Args> {
    record Args(String id, Optional<String> filter) {}

    private static final String DESCRIPTION = Builtins.description("bash_output");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "id":{"type":"string","description":"The id bash returned for a background command"},\
            "filter":{"type":"string","description":"Regular expression: return only new lines that match (the others are still consumed)"}},\
            "required":["id"],"additionalProperties":false}""";

    @Override public String name() { return "bash_output"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.RUNS_PROCESSES, Effect.TRACKS_COMMANDS); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        BackgroundCommands.Command job = ctx.session().background().find(ctx.call().sessionId(), args.id())
                .orElseThrow(() -> new ToolFailure(unknown(args.id(), ctx)));
        Optional<Pattern> filter;
        try {
            filter = args.filter().filter(f -> !f.isEmpty()).map(Pattern::compile);
        } catch (PatternSyntaxException e) {
            throw new ToolFailure("filter is not a valid regular expression: " + e.getDescription());
        }
        String status = job.status();
        BackgroundCommands.Output slice = job.readNew();
        String text = filter.map(p -> slice.text().lines().filter(l -> p.matcher(l).find()).collect(Collectors.joining("\n")))
                .orElse(slice.text());
        var out = new StringBuilder();
        out.append("status: ").append(status);
        job.exitCode().ifPresent(c -> out.append("\nexit code: ").append(c));
        if (slice.skipped() > 0) out.append("\n(").append(slice.skipped()).append(" bytes of output were dropped before this read)");
        out.append(text.isEmpty() ? "\n(no new output)" : "\n" + text);
        String exit = job.exitCode().isPresent() ? Integer.toString(job.exitCode().getAsInt()) : "";
        return new ToolResult(out.toString(), job.command(), Map.of("status", status, "exitCode", exit, "id", job.id()));
    }

    static String unknown(String id, ToolContext ctx) {
        var ids = ctx.session().background().of(ctx.call().sessionId()).stream().map(BackgroundCommands.Command::id).sorted().toList();
        return "No background command with id '" + id + "' in this session."
                + (ids.isEmpty() ? " None was started." : " Known ids: " + String.join(", ", ids) + ".");
    }
}
