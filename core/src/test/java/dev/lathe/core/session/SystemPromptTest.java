package dev.lathe.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.agent.Agent;
import dev.lathe.core.agent.Agents;
import dev.lathe.core.agent.BuiltinAgents;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.llm.ToolChoice;
import dev.lathe.tools.ToolRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** System block A: one prompt per built-in agent, within budget, free of anything session or user specific. */
class SystemPromptTest {
    static final int BUDGET = 5_000;
    static final Agents BUILTIN = new Agents(BuiltinAgents.ALL);

    static String prompt(String agent) { return BUILTIN.find(agent).orElseThrow().prompt(); }

    @Test
    void buildPromptAndDefaultToolsFitTheTokenBudget() {
        // the tools that follow background tasks are offered only once a session started one (ContextBuilder)
        // and the team tools only where teams are on or the session is in one (DESIGN §18 "Agent teams")
        var tracking = ToolRegistry.builtins().all().stream().filter(t -> t.effects().contains(dev.lathe.tools.Effect.TRACKS_SUBAGENTS)
                        || t.effects().contains(dev.lathe.tools.Effect.MAKES_TEAMS) || t.effects().contains(dev.lathe.tools.Effect.WORKS_IN_TEAM))
                .map(t -> t.name()).toList();
        var defaults = ToolRegistry.builtins().specs().stream().filter(s -> !tracking.contains(s.name())).toList();
        var request = new LlmRequest("m", List.of(prompt("build")), defaults, List.of(), 1000,
                ToolChoice.AUTO, Optional.empty(), Optional.empty());
        int prompt = TokenEstimate.of(prompt("build"));
        int total = TokenEstimate.of(request);
        // printed so the number is in the test report whenever a prompt or a tool description changes
        System.out.println("block A + tools: " + total + " tokens (build prompt " + prompt + ", " + request.tools().size()
                + " tools " + (total - prompt) + "), budget " + BUDGET);
        assertThat(request.tools()).hasSizeGreaterThan(10);
        assertThat(total).isLessThanOrEqualTo(BUDGET);
    }

    @Test
    void eachBuiltinAgentHasItsOwnPrompt() {
        assertThat(BUILTIN.names()).containsExactly("build", "plan", "review", "explore", "general");
        assertThat(BUILTIN.all()).extracting(Agent::prompt).doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).isNotBlank().isEqualTo(p.strip()));
        assertThat(prompt("plan")).contains("plan mode").isNotEqualTo(prompt("build"));
        assertThat(prompt("explore")).contains("read-only");
        assertThat(prompt("general")).contains("final message");
    }

    @Test
    void noAgentPromptHoldsAPathADateOrTheUserName() {
        BUILTIN.all().forEach(a -> assertThat(PromptLeaks.find(a.prompt())).as(a.name()).isEmpty());
    }

    @Test
    void theLeakCheckCatchesWhatItLooksFor() {
        String clean = prompt("build");
        assertThat(PromptLeaks.find(clean + "\nWorking folder: /home/alice/src/app", "alice", "/home/alice")).isNotEmpty();
        assertThat(PromptLeaks.find(clean + "\nSee ~/notes.md", "x", "/nowhere")).containsExactly("~/");
        assertThat(PromptLeaks.find(clean + "\nC:\\Users\\bob", "x", "/nowhere")).isNotEmpty();
        assertThat(PromptLeaks.find(clean + "\nToday is 2026-03-14.", "x", "/nowhere")).contains("2026-03-14");
        assertThat(PromptLeaks.find(clean + "\nToday is 14/3/2026.", "x", "/nowhere")).isNotEmpty();
        assertThat(PromptLeaks.find(clean + "\nAsk Carol first.", "carol", "/nowhere")).containsExactly("carol");
        assertThat(PromptLeaks.find(clean, "carol", "/home/carol")).isEmpty();
    }
}
