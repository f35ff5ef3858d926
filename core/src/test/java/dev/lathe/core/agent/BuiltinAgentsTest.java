package dev.lathe.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.permission.Action;
import dev.lathe.core.permission.Rule;
import dev.lathe.core.permission.bash.ReadOnlyCommands;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The read-only tool list is derived from the tools' declarations; this pins what it derives to. */
class BuiltinAgentsTest {
    @Test
    void theReadOnlyToolsAreTheOnesExploreHadPlusSkill() {
        // before the declarations: bash, glob, grep, list, read, todo, todoread, webfetch; skill only reads (decision 66); a read-only member of an agent team still messages and keeps the task list.
        // A change here changes what the explore subagent may call: make it on purpose, in decision 66 too.
        // budget only reports the session's spend and context (decision 119).
        assertThat(BuiltinAgents.READ_ONLY_TOOLS)
                .containsExactly("bash", "budget", "glob", "grep", "list", "read", "send_message", "skill", "team_tasks", "todo", "todoread", "webfetch");
        assertThat(BuiltinAgents.ALL).filteredOn(a -> a.name().equals(BuiltinAgents.EXPLORE)).singleElement()
                .satisfies(a -> assertThat(a.tools()).contains(List.copyOf(BuiltinAgents.READ_ONLY_TOOLS)));
    }

    /**
     * The rule of DESIGN §26 for code-declared read-only lists: an agent that changes nothing (its layer denies
     * {@code edit *}) allows bash only through entries of the read-only list, each judged option by option by
     * {@code ReadOnlyCommands}; a plain {@code new Rule("bash", "sort *", ALLOW)} beside them fails here (and the source
     * rule {@code ReadOnlyListRuleTest} in app fails on one anywhere else).
     */
    @Test
    void everyAgentThatChangesNothingAllowsBashOnlyThroughTheJudgedReadOnlyList() {
        List<Agent> readOnly = BuiltinAgents.ALL.stream().filter(BuiltinAgentsTest::changesNothing).toList();
        assertThat(readOnly).extracting(Agent::name).containsExactlyInAnyOrder("plan", "review", "explore");
        for (Agent a : readOnly) {
            List<Rule> allows = a.permission().stream().filter(r -> r.permission().equals("bash") && r.action() == Action.ALLOW).toList();
            assertThat(allows).as(a.name()).isNotEmpty().allMatch(Rule::onlyReadOnly, "judged by ReadOnlyCommands");
            assertThat(allows).extracting(Rule::pattern).as(a.name()).containsExactlyElementsOf(ReadOnlyCommands.patterns());
            assertThat(a.permission()).as(a.name()).noneMatch(r -> r.permission().equals("*") && r.action() == Action.ALLOW);
        }
        assertThat(BuiltinAgents.READ_ONLY_RULES).filteredOn(r -> r.action() == Action.ALLOW).containsExactlyElementsOf(Rule.readOnlyCommands());
    }

    private static boolean changesNothing(Agent a) {
        return a.permission().stream().anyMatch(r -> r.permission().equals("edit") && r.pattern().equals("*") && r.action() == Action.DENY);
    }
}
