package dev.lathe.tools.builtin;

import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Teammates;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code team_tasks}: the team's shared task list (DESIGN §18 "Agent teams"): list, add, claim, update. */
final class TeamTasksTool implements Tool<TeamTasksTool.Args> {
    record Args(String op, Optional<Integer> id, Optional<String> title, Optional<List<Integer>> dependsOn, Optional<String> status,
            Optional<String> owner) {}

    private static final String DESCRIPTION = Builtins.description("team_tasks");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "op":{"type":"string","enum":["list","add","claim","update"]},\
            "id":{"type":"integer","description":"The task (claim, update)"},\
            "title":{"type":"string","description":"What to do (add)"},\
            "dependsOn":{"type":"array","items":{"type":"integer"},"description":"Tasks to complete first (add)"},\
            "status":{"type":"string","enum":["pending","in_progress","completed"],"description":"update"},\
            "owner":{"type":"string","description":"Hand it to a member or lead (update)"}},\
            "required":["op"],"additionalProperties":false}""";

    @Override public String name() { return "team_tasks"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.WORKS_IN_TEAM); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        Teammates team = ctx.session().team();
        String op = args.op() == null ? "" : args.op().strip();
        return switch (op) {
            case "list" -> {
                List<Teammates.Task> tasks = team.tasks();
                if (tasks.isEmpty()) yield new ToolResult("The task list is empty; add tasks with op add.", "no tasks", Map.of());
                var out = new StringBuilder();
                for (Teammates.Task t : tasks) out.append(line(t)).append('\n');
                yield new ToolResult(out.toString().strip(), tasks.size() + " tasks", Map.of());
            }
            case "add" -> {
                String title = args.title().map(String::strip).filter(s -> !s.isEmpty()).orElseThrow(() -> new ToolFailure("add needs a title"));
                yield done("added", team.add(title, args.dependsOn().orElse(List.of())));
            }
            case "claim" -> done("claimed", team.claim(id(args)));
            case "update" -> {
                String status = args.status().map(String::strip).orElseThrow(() -> new ToolFailure("update needs a status: pending, in_progress or completed"));
                yield done("updated", team.update(id(args), status, args.owner().map(String::strip).filter(s -> !s.isEmpty())));
            }
            default -> throw new ToolFailure("op must be list, add, claim or update");
        };
    }

    private static int id(Args args) {
        return args.id().orElseThrow(() -> new ToolFailure("this op needs the task's id (team_tasks op list shows them)"));
    }

    private static ToolResult done(String what, Teammates.Task t) {
        return new ToolResult(what + " " + line(t), "#" + t.id(), Map.of("task", Integer.toString(t.id())));
    }

    /** {@code #ID [status] TITLE (owner NAME) (after #A, #B)}. */
    static String line(Teammates.Task t) {
        return "#" + t.id() + " [" + t.status() + "] " + t.title() + t.owner().map(o -> " (owner " + o + ")").orElse("")
                + (t.dependsOn().isEmpty() ? "" : " (after " + String.join(", ", t.dependsOn().stream().map(d -> "#" + d).toList()) + ")");
    }
}
