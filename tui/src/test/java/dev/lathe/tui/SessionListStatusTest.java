package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.api.TeamPlace;
import dev.lathe.protocol.session.SessionStatus;
import java.util.Optional;
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

    @Test
    void aTeamsLeadAndMembersAreMarkedAsTheBoardsMarkThem() {
        assertThat(SessionsCommand.teamMark(new TeamPlace("tm_1", "fixers", Optional.empty(), 2))).isEqualTo("  ⚑ team fixers · 2 members");
        assertThat(SessionsCommand.teamMark(new TeamPlace("tm_1", "solo", Optional.empty(), 1))).isEqualTo("  ⚑ team solo · 1 member");
        assertThat(SessionsCommand.teamMark(new TeamPlace("tm_1", "fixers", Optional.of("ana"), 2))).isEqualTo("  ⚑ ana of team fixers");
        // the model's names stay on the row's one line
        assertThat(SessionsCommand.teamMark(new TeamPlace("tm_1", "two\nlines", Optional.of("a\r\nb"), 2))).isEqualTo("  ⚑ a b of team two lines");
        assertThat(SessionsCommand.teamMark(null)).isEmpty();
    }
}
