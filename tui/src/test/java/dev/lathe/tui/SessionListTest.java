package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.ProjectId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.Usage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The {@code /sessions} picker lists each session's subagent sessions right under it, so a child can be opened. */
class SessionListTest {
    static Session session(String id, Optional<String> parent, long created, long updated) {
        return new Session(new SessionId(id), new ProjectId("prj_1"), "/p", parent.map(SessionId::new), id, "build", "m/m", created, updated,
                Optional.empty(), Usage.ZERO, 0, Optional.empty());
    }

    @Test
    void childrenFollowTheirParentOldestFirst() {
        var older = session("ses_a", Optional.empty(), 1, 10);
        var newer = session("ses_b", Optional.empty(), 2, 20);
        var childLate = session("ses_c2", Optional.of("ses_a"), 6, 30);
        var childEarly = session("ses_c1", Optional.of("ses_a"), 5, 31);
        var orphan = session("ses_x", Optional.of("ses_gone"), 7, 40);
        List<Session> listed = SessionsCommand.withChildren(List.of(childLate, older, orphan, newer, childEarly));
        assertThat(listed).extracting(s -> s.id().value()).containsExactly("ses_b", "ses_a", "ses_c1", "ses_c2");
    }
}
