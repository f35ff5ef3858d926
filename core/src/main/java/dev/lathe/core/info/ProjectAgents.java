package dev.lathe.core.info;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.project.Project;
import dev.lathe.protocol.api.AgentInfo;
import java.util.List;

/**
 * The agents a project's sessions can use, for {@code GET /agents}: the built-in ones first, then those its config and
 * agent files add, each with its mode and where it was defined. Exactly the agents the session layer accepts.
 */
final class ProjectAgents {
    private ProjectAgents() {}

    static List<AgentInfo> of(Project project) {
        return project.agents().all().stream().map(ProjectAgents::info).toList();
    }

    private static AgentInfo info(Agent a) {
        return new AgentInfo(a.name(), a.description(), a.mode().wire(), java.util.Optional.of(a.source()), a.model());
    }
}
