package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 53: a long OWNER pushed the titles of {@code lathe sessions} out of line. */
class SessionTableTest {
    @Test
    void everyColumnIsAsWideAsItsWidestCellSoTheTitlesLineUp() {
        var lines = SessionTable.lines(List.of("ID", "STATUS", "UPDATED", "OWNER", "TITLE"), List.of(
                List.of("ses_0001", "idle", "2026-11-26 22:00", "alice", "Fix the bug"),
                List.of("  ses_0002", "waiting", "2026-11-26 22:01", "a-rather-long-user-name-from-ldap", "↳ Look around"),
                List.of("ses_0003", "busy", "2026-11-26 22:02", "-", "Third")));
        int title = lines.getFirst().indexOf("TITLE");
        assertThat(lines.get(1).indexOf("Fix the bug")).isEqualTo(title);
        assertThat(lines.get(2).indexOf("↳ Look around")).isEqualTo(title);
        assertThat(lines.get(3).indexOf("Third")).isEqualTo(title);
        assertThat(lines.get(2)).contains("a-rather-long-user-name-from-ldap ↳");
        assertThat(lines.get(0).indexOf("OWNER")).isEqualTo(lines.get(2).indexOf("a-rather"));
    }

    @Test
    void theLastColumnIsNotPadded() {
        assertThat(SessionTable.lines(List.of("ID", "TITLE"), List.of(List.of("s", "")))).containsExactly("ID TITLE", "s");
    }
}
