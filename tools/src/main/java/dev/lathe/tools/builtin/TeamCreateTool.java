package dev.lathe.tools.builtin;

import dev.lathe.protocol.session.Wrapper;
import dev.lathe.tools.Effect;
import dev.lathe.tools.PermissionSource;
import dev.lathe.tools.Subagents;
import dev.lathe.tools.Teammates;
import dev.lathe.tools.Tool;
import dev.lathe.tools.ToolContext;
import dev.lathe.tools.ToolFailure;
import dev.lathe.tools.ToolResult;
import dev.lathe.tools.Truncation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code team_create}: makes the agent team this session leads (DESIGN §18 "Agent teams"), each member a background session. */
final class TeamCreateTool implements Tool<TeamCreateTool.Args> {
    record MemberArgs(String name, String prompt, Optional<String> agent, Optional<String> model, Optional<String> isolation) {}

    record Args(String name, List<MemberArgs> members) {}

    private static final String DESCRIPTION = Builtins.description("team_create");
    private static final String SCHEMA = """
            {"type":"object","properties":{\
            "name":{"type":"string","description":"The team's name"},\
            "members":{"type":"array","items":{"type":"object","properties":{\
            "name":{"type":"string","description":"Short name others message it by (letters, digits, - and _)"},\
            "prompt":{"type":"string","description":"Its role and first instructions"},\
            "agent":{"type":"string"},"model":{"type":"string","description":"provider/model"},\
            "isolation":{"type":"string","enum":["worktree"]}},\
            "required":["name","prompt"],"additionalProperties":false}}},\
            "required":["name","members"],"additionalProperties":false}""";

    @Override public String name() { return "team_create"; }

    @Override public String description() { return DESCRIPTION; }

    @Override public String parametersSchema() { return SCHEMA; }

    @Override public Class<Args> argsType() { return Args.class; }

    @Override public Set<Effect> effects() { return Set.of(Effect.MAKES_TEAMS); }

    @Override public PermissionSource permission() { return PermissionSource.notChecked(); }

    @Override public Truncation.Keep truncation() { return Truncation.Keep.HEAD; }

    @Override
    public ToolResult run(Args args, ToolContext ctx) {
        if (args.name() == null || args.name().isBlank()) throw new ToolFailure("name must name the team");
        if (args.members() == null || args.members().isEmpty()) throw new ToolFailure("members must list at least one member");
        List<Teammates.NewMember> members = new ArrayList<>();
        for (MemberArgs m : args.members()) {
            if (m.name() == null || m.prompt() == null || m.prompt().isBlank()) throw new ToolFailure("each member needs a name and a prompt");
            Subagents.Isolation isolation = switch (m.isolation().map(String::strip).orElse("")) {
                case "" -> Subagents.Isolation.NONE;
                case "worktree" -> Subagents.Isolation.WORKTREE;
                default -> throw new ToolFailure("isolation must be \"worktree\" (or left out)");
            };
            members.add(new Teammates.NewMember(m.name().strip(), m.prompt(), m.agent().map(String::strip).filter(s -> !s.isEmpty()),
                    m.model().map(String::strip).filter(s -> !s.isEmpty()), isolation));
        }
        Teammates.Team team = ctx.session().team().create(args.name().strip(), members);
        var out = new StringBuilder("created team " + team.id() + " (" + team.name() + ")\n");
        for (Teammates.Member m : team.members()) out.append("- ").append(m.name()).append(": session ").append(m.sessionId()).append(" (agent ")
                .append(m.agent()).append(")\n");
        if (!team.notStarted().isEmpty()) {
            out.append("\nNot started (not in the team: give their part to a member with send_message, or do it yourself):\n");
            for (Teammates.NotStarted n : team.notStarted()) out.append("- ").append(n.name()).append(": ").append(n.reason()).append('\n');
        }
        out.append("\nEach member works in the background. Message them with send_message; share work with team_tasks. Their messages "
                + "arrive as messages starting " + Wrapper.MESSAGE.opening("NAME") + ".");
        return new ToolResult(out.toString(), team.name(), Map.of("teamId", team.id()));
    }
}
