package dev.lathe.core.agent;

import java.util.List;
import java.util.Optional;

/**
 * The agents one project's sessions can use: the built-in ones first, then those its config and agent files define
 * (a definition with a built-in's name replaces it). Looked up by name when a session is created, prompted or runs a
 * {@code task}.
 */
public record Agents(List<Agent> all) {
    public Agents {
        all = List.copyOf(all);
    }

    public Optional<Agent> find(String name) {
        return all.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    public List<Agent> primary() { return all.stream().filter(Agent::primary).toList(); }

    public List<Agent> subagents() { return all.stream().filter(Agent::subagent).toList(); }

    public List<String> names() { return all.stream().map(Agent::name).toList(); }
}
