package dev.lathe.core.session.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.PermissionMode;
import dev.lathe.protocol.api.PromptRequest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A prompt's permission mode as the server reads it (DESIGN §31): plan is the plan agent; a contradiction is refused. */
class PromptModeTest {
    private static PromptRequest withAgent(String agent) {
        return new PromptRequest(PromptRequest.text("go").parts(), Optional.of(agent), Optional.empty());
    }

    @Test
    void planRunsThePlanAgentAndTheOtherModesLeaveTheAgentAlone() {
        assertThat(PromptIntake.inMode(PromptRequest.text("go").inMode(PermissionMode.PLAN)).agent()).contains("plan");
        assertThat(PromptIntake.inMode(withAgent("plan").inMode(PermissionMode.PLAN)).agent()).contains("plan");
        for (PermissionMode m : List.of(PermissionMode.DEFAULT, PermissionMode.ACCEPT_EDITS, PermissionMode.AUTO)) {
            assertThat(PromptIntake.inMode(withAgent("build").inMode(m)).agent()).contains("build");
        }
        assertThat(PromptIntake.inMode(PromptRequest.text("go").inMode(PermissionMode.AUTO)).asksAuto()).isTrue();
        assertThat(PromptIntake.inMode(PromptRequest.text("go").autoApproved()).asksAuto()).isTrue();
        assertThat(PromptIntake.inMode(PromptRequest.text("go").inMode(PermissionMode.DEFAULT)).asksAuto()).isFalse();
    }

    @Test
    void aModeThatContradictsTheAgentOrAutoIsRefused() {
        assertThatThrownBy(() -> PromptIntake.inMode(withAgent("build").inMode(PermissionMode.PLAN)))
                .isInstanceOf(LatheException.InvalidInput.class).hasMessageContaining("mode plan runs the plan agent, not build");
        assertThatThrownBy(() -> PromptIntake.inMode(PromptRequest.text("go").autoApproved().inMode(PermissionMode.DEFAULT)))
                .isInstanceOf(LatheException.InvalidInput.class).hasMessageContaining("auto: true contradicts mode default");
    }
}
