package dev.lathe.core.context;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.project.Project;
import dev.lathe.llm.ToolSpec;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which tools a session of one agent is offered, and what system block B says about subagents (DESIGN §7, §11). An
 * agent with a {@code tools} list gets only those; a tool that starts subagents ({@code task}, named in
 * {@code delegating}: those that declare {@link dev.lathe.tools.Effect#STARTS_SUBAGENTS}) goes only to agents that are
 * not subagent-only (so a subagent never starts subagents of its own) and only while the project has a subagent to
 * start. A tool that reports spend ({@link dev.lathe.tools.Effect#READS_SPEND}, in {@code spendReaders}) is offered only where
 * {@code limits} caps spend (decision 119): the default tools fit DESIGN §16's first-request size. When one is offered, block B lists the project's subagents sorted by name — the same bytes for every session of the project,
 * so the prompt cache keeps working (decisions §47).
 */
public final class AgentTools {
    private AgentTools() {}

    /** The tools the {@code edit} permission decides (DESIGN §10), besides {@code edit} itself. */
    private static final Set<String> EDITS = Set.of("write", "apply_patch");

    /**
     * {@code all} (sorted by name) cut down to what {@code agent} may call ({@link Agent#allowsTool}), the tools in
     * {@code delegating} gated as above.
     */
    static List<ToolSpec> offered(List<ToolSpec> all, Set<String> delegating, Set<String> spendReaders, Set<String> namedOnly, Project project,
            Agent agent) {
        boolean delegates = agent.mode() != Agent.Mode.SUBAGENT && !project.agents().subagents().isEmpty();
        boolean capped = project.config().limits().capsSpend();
        var rules = project.rulesFor(agent);
        return all.stream()
                .filter(t -> agent.allowsTool(t.name()))
                // a tool whose permission the agent (or the managed policy) denies outright is not offered, as OpenCode hides it
                .filter(t -> !rules.shut(EDITS.contains(t.name()) ? "edit" : t.name()))
                .filter(t -> !delegating.contains(t.name()) || delegates)
                .filter(t -> !spendReaders.contains(t.name()) || capped)
                .filter(t -> !namedOnly.contains(t.name()) || agent.tools().filter(names -> names.contains(t.name())).isPresent())
                .toList();
    }

    /** Block B: the project's instructions, then, when a tool in {@code delegating} is among {@code offered}, the subagents it can start. */
    static String blockB(Project project, List<ToolSpec> offered, Set<String> delegating) {
        String instructions = project.instructions();
        if (offered.stream().noneMatch(t -> delegating.contains(t.name()))) return instructions;
        var out = new StringBuilder();
        if (!instructions.isEmpty()) out.append(instructions).append("\n\n");
        out.append("# Subagents\n\nThe task tool starts one of these agents (pass its name as agent):\n");
        project.agents().subagents().stream().sorted(Comparator.comparing(Agent::name))
                .forEach(a -> out.append("- ").append(a.name()).append(": ").append(a.description().strip().replace('\n', ' ')).append('\n'));
        return out.toString().stripTrailing();
    }
}
