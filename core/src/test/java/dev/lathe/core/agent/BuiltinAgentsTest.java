package dev.lathe.core.agent;

import static org.assertj.core.api.Assertions.assertThat;

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
}
