package dev.lathe.protocol.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiRouteTest {
    @Test
    void aPathFillsTheParametersInOrderEachEncodedAsOneSegment() {
        assertThat(ApiRoute.HEALTH.path()).isEqualTo("/health");
        assertThat(ApiRoute.SESSION_PROMPT.path("ses_1")).isEqualTo("/sessions/ses_1/prompt");
        assertThat(ApiRoute.WORKTREE_END.parameters()).containsExactly("name");
        assertThat(ApiRoute.WORKTREE_END.path("a/b?c=d#e f")).isEqualTo("/worktrees/a%2Fb%3Fc%3Dd%23e%20f/end");
        assertThat(ApiRoute.USER_REMOVE.path("zoë+1")).isEqualTo("/users/zo%C3%AB%2B1");
        assertThat(ApiRoute.WORKTREE_REMOVE.path("..")).as("no way up the path").isEqualTo("/worktrees/%2E%2E");
        assertThat(ApiRoute.WORKTREE_REMOVE.path("a..b")).isEqualTo("/worktrees/a..b");
    }

    @Test
    void aPathWithTheWrongValuesIsRefused() {
        assertThatThrownBy(() -> ApiRoute.SESSION.path()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 1");
        assertThatThrownBy(() -> ApiRoute.HEALTH.path("x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiRoute.USER_TOKEN.path("")).isInstanceOf(LatheException.InvalidInput.class).hasMessage("name is empty");
    }

    @Test
    void theRoutesThatReadTheClientsEnvironmentAreDeclaredWithIt() {
        assertThat(ApiRoute.SESSION_PROMPT.environment()).isEqualTo(ApiRoute.Environment.READ);
        // a schedule keeps its owner's mode and config for its runs (docs/schedules.md)
        assertThat(ApiRoute.SCHEDULE_ADD.environment()).isEqualTo(ApiRoute.Environment.READ);
        assertThat(ApiRoute.SESSION_ABORT.environment()).isEqualTo(ApiRoute.Environment.IGNORED);
    }
}
