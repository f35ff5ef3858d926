package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.session.SessionStatus;
import org.junit.jupiter.api.Test;

/** The session list's status word (issue 53): a team's queued session shows its place; an idle one says nothing. */
class SessionListStatusTest {
    @Test
    void aQueuedSessionShowsItsPlaceAndAnIdleOneNothing() {
        assertThat(SessionsCommand.statusWord(new SessionStatus.Queued(2, "a node with room"))).isEqualTo("queued (place 2) · ");
        assertThat(SessionsCommand.statusWord(SessionStatus.BUSY)).isEqualTo("busy · ");
        assertThat(SessionsCommand.statusWord(SessionStatus.WAITING)).isEqualTo("waiting · ");
        assertThat(SessionsCommand.statusWord(SessionStatus.IDLE)).isEmpty();
        assertThat(SessionsCommand.statusWord(null)).isEmpty();
    }
}
