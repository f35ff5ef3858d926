package dev.lathe.core.session;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.project.Project;
import dev.lathe.llm.ToolSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which tools a session of one agent is offered, and what system block B says about subagents (DESIGN §7, §11). An
 * agent with a {@code tools} list gets only those; {@code task} goes only to agents that are not subagent-only (so a
 * subagent never starts subagents of its own) and only while the project has a subagent to start. When {@code task}
 * is offered, block B lists the project's subagents sorted by name — the same bytes for every session of the project,
 * so the prompt cache keeps working (decisions §47).
 */
final class AgentTools {
    static final String TASK = "task";

    private AgentTools() {}

    /** {@code all} (sorted by name) cut down to what {@code agent} may call; an unknown agent gets all but {@code task}'s gate. */
    static List<ToolSpec> offered(List<ToolSpec> all, Project project, String agent) {
        Optional<Agent> found = project.agents().find(agent);
        Optional<List<String>> allowed = found.flatMap(Agent::tools);
        boolean delegates = !found.map(a -> a.mode() == Agent.Mode.SUBAGENT).orElse(false) && !project.agents().subagents().isEmpty();
        return all.stream()
                .filter(t -> allowed.map(names -> names.contains(t.name())).orElse(true))
                .filter(t -> !t.name().equals(TASK) || delegates)
                .toList();
    }

    /** Block B: the project's instructions, then, when {@code task} is among {@code offered}, the subagents it can start. */
    static String blockB(Project project, List<ToolSpec> offered) {
        String instructions = project.instructions();
        if (offered.stream().noneMatch(t -> t.name().equals(TASK))) return instructions;
        var out = new StringBuilder();
        if (!instructions.isEmpty()) out.append(instructions).append("\n\n");
        out.append("# Subagents\n\nThe task tool starts one of these agents (pass its name as agent):\n");
        project.agents().subagents().stream().sorted(Comparator.comparing(Agent::name))
                .forEach(a -> out.append("- ").append(a.name()).append(": ").append(a.description().strip().replace('\n', ' ')).append('\n'));
        return out.toString().stripTrailing();
    }
}
