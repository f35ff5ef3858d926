package dev.lathe.tools.builtin;

import com.fasterxml.jackson.annotation.JsonAlias;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.Wrapper;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Subagents;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code task}: hands a self-contained piece of work to a subagent, which runs it in a child session with its own
 * context, and returns only the child's final text plus the {@code taskId} that resumes it (DESIGN §9, §11). The
 * argument names are Claude Code's, which models are trained on. The agents to choose from are listed in system
 * block B, not here, so this description is the same bytes in every project (decisions §47).
 */
final class TaskTool implements Tool<TaskTool.Args> {
    /** Snake case on purpose: the schema's names are the ones models are trained on (Claude Code's). */
    record Args(String description, String prompt, String agent, Optional<String> taskId, Optional<String> isolation,
            @JsonAlias("run_in_background") Optional<Boolean> background) {
        /**
         * {@code background}, or Claude Code's {@code run_in_background} read the same (DESIGN §18); when the call says
         * neither, the agent's own default (its file's {@code background: true}).
         */
        boolean inBackground(Subagents subagents) {
            return background.orElseGet(() -> agent != null && subagents.launchOf(agent.strip()) == Subagents.Launch.BACKGROUND);
        }
    }

    private static final String DESCRIPTION = Builtins.description("task");
    /** How a background task's result begins, before its id. */
    static final String STARTED = "started background task ";
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "description":{"type":"string","description":"3-5 words"},\
            "prompt":{"type":"string"},\
            "agent":{"type":"string"},\
            "taskId":{"type":"string","description":"To continue an earlier task"},\
            "isolation":{"type":"string","enum":["worktree"],"description":"Its own git worktree and branch"},\
            "background":{"type":"boolean"}},\
            "required":["description","prompt","agent"],"additionalProperties":false}""";

    @Override public String name() { return "task"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.STARTS_SUBAGENTS, Effect.MAY_CHANGE_ANY_FILE); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        if (args.prompt() == null || args.prompt().isBlank()) throw new ToolFailure("prompt must say what the agent should do");
        if (args.agent() == null || args.agent().isBlank()) throw new ToolFailure("agent must name the agent to use");
        String description = args.description() == null || args.description().isBlank() ? firstLine(args.prompt()) : args.description().strip();
        Subagents.Isolation isolation = switch (args.isolation().map(String::strip).orElse("")) {
            case "" -> Subagents.Isolation.NONE;
            case "worktree" -> Subagents.Isolation.WORKTREE;
            default -> throw new ToolFailure("isolation must be \"worktree\" (or left out)");
        };
        var request = new Subagents.Request(description, args.prompt(), args.agent().strip(), args.taskId().map(String::strip).filter(s -> !s.isEmpty()),
                isolation);
        if (args.inBackground(ctx.session().subagents())) {
            // the first line is the contract scripts read (DESIGN §18 "Background subagents")
            Subagents.Started started = ctx.session().subagents().start(request);
            return new ToolResult(STARTED + started.sessionId() + " (agent " + started.agent() + ")\n\nIt runs in the background; its result "
                    + "arrives as a message starting " + Wrapper.TASK_RESULT.opening(started.sessionId(), "completed|failed|cancelled")
                    + " when it ends. Go on with other work; "
                    + "task_status shows its state, task_cancel stops it.", description,
                    Map.of("sessionId", started.sessionId(), "agent", started.agent(), "background", "true"))
                    .withDisplay(run(args, ""));
        }
        Subagents.Result result = ctx.session().subagents().run(request);
        String output = "taskId: " + result.sessionId() + " (to continue this task later, pass it as taskId)\n\n"
                + Wrapper.SUBAGENT_RESULT.wrap(result.text().strip()) + result.worktree().map(w -> "\n\n" + w).orElse("");
        // a child in a worktree of its own names its branch, which clients show beside the call (a session's they show on its row)
        Map<String, String> metadata = result.branch()
                .map(b -> Map.of("sessionId", result.sessionId(), "agent", result.agent(), "branch", b))
                .orElseGet(() -> Map.of("sessionId", result.sessionId(), "agent", result.agent()));
        return new ToolResult(output, description, metadata).withDisplay(run(args, result.text().strip()));
    }

    @Override
    public Optional<ToolDisplay> announce(Args args) { return Optional.of(run(args, "")); }

    /** As the model asked for it: the agent and description it gave (not the defaults filled in), and the report. */
    private static ToolDisplay.SubagentRun run(Args args, String report) {
        boolean continued = args.taskId().map(String::strip).filter(s -> !s.isEmpty()).isPresent();
        return new ToolDisplay.SubagentRun(args.agent() == null ? "" : args.agent(), args.description() == null ? "" : args.description(),
                continued ? ToolDisplay.SubagentRun.Continuation.CONTINUED : ToolDisplay.SubagentRun.Continuation.NEW_TASK, report);
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() <= 50 ? line : line.substring(0, 47) + "...";
    }
}
