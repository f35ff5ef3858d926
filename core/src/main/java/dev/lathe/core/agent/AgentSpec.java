package dev.lathe.core.agent;

import dev.lathe.core.permission.Rule;
import java.util.List;
import java.util.Optional;

/**
 * One source's definition of an agent (a config entry or an agent file): only what that source sets. Applied over the
 * agent of the same name that earlier sources defined ({@link #over}), so a config entry {@code agent.plan.steps}
 * changes plan's step limit and keeps its prompt.
 */
record AgentSpec(String name, Optional<String> description, Optional<Agent.Mode> mode, Optional<String> model,
        Optional<Double> temperature, Optional<Integer> steps, Optional<String> prompt, List<Rule> permission,
        Optional<List<String>> tools, String source, Optional<Agent.Isolation> isolation, Optional<Agent.Launch> launchMode) {

    /** A definition that says nothing of isolation (a config object, an OpenCode file). */
    AgentSpec(String name, Optional<String> description, Optional<Agent.Mode> mode, Optional<String> model, Optional<Double> temperature,
            Optional<Integer> steps, Optional<String> prompt, List<Rule> permission, Optional<List<String>> tools, String source) {
        this(name, description, mode, model, temperature, steps, prompt, permission, tools, source, Optional.empty());
    }

    /** A definition that says nothing of the background (an OpenCode file). */
    AgentSpec(String name, Optional<String> description, Optional<Agent.Mode> mode, Optional<String> model, Optional<Double> temperature,
            Optional<Integer> steps, Optional<String> prompt, List<Rule> permission, Optional<List<String>> tools, String source,
            Optional<Agent.Isolation> isolation) {
        this(name, description, mode, model, temperature, steps, prompt, permission, tools, source, isolation, Optional.empty());
    }

    AgentSpec {
        permission = List.copyOf(permission);
        tools = tools.map(List::copyOf);
    }

    /**
     * The agent this definition makes of {@code base} (empty: a new agent). Fields it leaves out keep the base's
     * value; a new agent without a prompt gets the default agent's; its permission rules go on top of the base's (a
     * rule for the same permission and pattern replaces the base's). {@code source} becomes this one's.
     */
    Agent over(Optional<Agent> base, String fallbackPrompt) {
        return new Agent(name,
                description.or(() -> base.map(Agent::description)).orElse(""),
                mode.or(() -> base.map(Agent::mode)).orElse(Agent.Mode.ALL),
                model.or(() -> base.flatMap(Agent::model)),
                temperature.or(() -> base.flatMap(Agent::temperature)),
                steps.or(() -> base.flatMap(Agent::steps)),
                prompt.filter(p -> !p.isBlank()).or(() -> base.map(Agent::prompt)).orElse(fallbackPrompt),
                base.map(Agent::permission).orElse(List.of()),
                tools.or(() -> base.flatMap(Agent::tools)),
                source,
                isolation.or(() -> base.map(Agent::isolation)).orElse(Agent.Isolation.NONE),
                launchMode.or(() -> base.map(Agent::launchMode)).orElse(Agent.Launch.BLOCKING)).withPermission(permission);
    }
}
