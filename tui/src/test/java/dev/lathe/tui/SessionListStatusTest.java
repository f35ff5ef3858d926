package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.session.SessionStatus;
import org.junit.jupiter.api.Test;

/** The session list's status word (issue 53): a team's queued session shows its place; an idle one says nothing. */
class SessionListStatusTest {
    @Test
    void aQueuedSessionShowsItsPlaceAndAnIdleOneNothing() {
        assertThat(Commands.statusWord(new SessionStatus.Queued(2, "a node with room"))).isEqualTo("queued (place 2) · ");
        assertThat(Commands.statusWord(SessionStatus.BUSY)).isEqualTo("busy · ");
        assertThat(Commands.statusWord(SessionStatus.WAITING)).isEqualTo("waiting · ");
        assertThat(Commands.statusWord(SessionStatus.IDLE)).isEmpty();
        assertThat(Commands.statusWord(null)).isEmpty();
    }
}
