package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.agent.BuiltinAgents;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.tools.ToolRegistry;
import org.junit.jupiter.api.Test;

/** What the build agent's prompt and the built-in tools cost of DESIGN §16's first-request budget. */
class McpWiringTest {
    @Test
    void builtInCostIsThePromptAndEveryBuiltInSpec() {
        ToolRegistry builtins = ToolRegistry.builtins();
        int prompt = TokenEstimate.of(BuiltinAgents.ALL.getFirst().prompt());
        int cost = McpWiring.builtInCost(builtins);
        System.out.println("build prompt " + prompt + " tokens, built-in tools " + (cost - prompt) + " tokens ("
                + builtins.specs().size() + " tools), MCP allowance " + (McpWiring.FIRST_REQUEST_BUDGET - cost));
        // the default tools: budget comes only with spend limits (decision 119), report_findings only to the review agent,
        // task_status and task_cancel once a session started a background task (decision 413), team_create where teams
        // are allowed, send_message and team_tasks in a team (decision 420)
        var defaults = builtins.all().stream().filter(t -> !t.effects().contains(dev.lathe.tools.Effect.READS_SPEND))
                .filter(t -> !t.effects().contains(dev.lathe.tools.Effect.REPORTS_FINDINGS))
                .filter(t -> !t.effects().contains(dev.lathe.tools.Effect.TRACKS_SUBAGENTS))
                .filter(t -> !t.effects().contains(dev.lathe.tools.Effect.MAKES_TEAMS))
                .filter(t -> !t.effects().contains(dev.lathe.tools.Effect.WORKS_IN_TEAM))
                // bash_output and bash_kill once something runs in the background, skill with a skill, todoread where named (decision 494)
                .filter(t -> !t.effects().contains(dev.lathe.tools.Effect.TRACKS_COMMANDS))
                .filter(t -> !t.effects().contains(dev.lathe.tools.Effect.LOADS_SKILLS))
                .filter(t -> !t.effects().contains(dev.lathe.tools.Effect.READS_TODOS)).map(t -> t.spec()).toList();
        assertThat(defaults).hasSize(builtins.specs().size() - 11);
        int estimates = defaults.stream().mapToInt(TokenEstimate::of).sum();
        assertThat(cost).as("each built-in costs its estimate and its wire wrapping")
                .isEqualTo(prompt + estimates + defaults.size() * McpWiring.WIRE_TOKENS_PER_TOOL);
    }
}
