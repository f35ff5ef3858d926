package dev.lathe.mcp.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class McpToolNameTest {
    @Test void charactersOutsideTheAllowedSetBecomeUnderscores() {
        assertThat(McpToolName.of("git hub", "issues.create")).isEqualTo("git_hub_issues_create");
        assertThat(McpToolName.of("my-db", "run_query")).isEqualTo("my-db_run_query");
        assertThat(McpToolName.of("é", "ü/x")).isEqualTo("____x");
    }

    @Test void longNamesStayWithinSixtyFourCharactersDistinctAndStable() {
        String server = "a-very-long-server-name-that-someone-configured";
        String one = McpToolName.of(server, "list_all_the_repository_issues_with_labels");
        String two = McpToolName.of(server, "list_all_the_repository_issues_with_milestones");
        assertThat(one).hasSize(McpToolName.MAX_LENGTH).matches("[A-Za-z0-9_-]+").startsWith(server + "_list");
        assertThat(one).isNotEqualTo(two).isEqualTo(McpToolName.of(server, "list_all_the_repository_issues_with_labels"));
        assertThat(McpToolName.of("s", "x".repeat(62))).hasSize(64).isEqualTo("s_" + "x".repeat(62));
    }
}
