package dev.lathe.core.info;

import dev.lathe.core.project.Project;
import dev.lathe.protocol.api.AgentInfo;
import java.util.List;

/**
 * The agents a project's sessions can use. Only what the core can run is listed: today the built-in {@code build}
 * agent (the session layer accepts exactly these names). Custom agents from {@code agent} in config and from
 * {@code .lathe/agents/*.md} (issue #8) are added after the built-ins by {@link #of}, which already receives the
 * project they are read from.
 */
final class ProjectAgents {
    /** Built in, in the order clients offer them; kept equal to the session layer's list (a test checks each one starts a session). */
    static final List<AgentInfo> BUILTIN = List.of(
            new AgentInfo("build", "The default agent: reads, searches, edits files and runs commands in the project, as the permission rules allow",
                    "primary"));

    private ProjectAgents() {}

    static List<AgentInfo> of(Project project) {
        return BUILTIN;
    }
}
