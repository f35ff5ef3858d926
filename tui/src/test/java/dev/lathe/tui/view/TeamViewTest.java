package dev.lathe.tui.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.TeamInfo;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.tui.text.Theme;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** {@code /team}'s board: one row per member, task and message, cut to the width; an agent's line breaks never make rows. */
class TeamViewTest {
    private static TeamInfo team(List<TeamInfo.Task> tasks, List<TeamInfo.Message> messages) {
        return new TeamInfo("team_1", "fixers", new SessionId("ses_lead"), 0, List.of(
                new TeamInfo.Member("ana", new SessionId("ses_ana"), "general", "fake/m", new SessionStatus.Busy()),
                new TeamInfo.Member("bo", new SessionId("ses_bo"), "explore", "fake/n", new SessionStatus.Waiting())), tasks, messages);
    }

    private static List<String> rows(TeamInfo team, int width) {
        return TeamView.render(team, Theme.plain(), width).stream().map(AttributedString::toString).toList();
    }

    @Test
    void membersTasksAndTheNewestMessagesEachOnOneRow() {
        var tasks = List.of(new TeamInfo.Task(1, "find it", "completed", Optional.of("ana"), List.of()),
                new TeamInfo.Task(2, "fix it", "in_progress", Optional.of("bo"), List.of(1)), new TeamInfo.Task(3, "review", "pending", Optional.empty(), List.of(2)));
        var messages = IntStream.rangeClosed(1, 5).mapToObj(i -> new TeamInfo.Message("ana", "lead", "note " + i + "\nsecond line\r\n\tthird", i)).toList();
        List<String> rows = rows(team(tasks, messages), 100);
        assertThat(rows).contains("⚑ Team fixers · 2 members · 1/3 tasks done · /team hides", "  ● ana  general · fake/m · working",
                "  ● bo   explore · fake/n · waiting for your answer", "  #1 ☑ find it · ana", "  #2 ◐ fix it · bo", "  #3 ☐ review · after #2",
                "  ana → lead: note 5 second line third");
        assertThat(rows).filteredOn(r -> r.contains("→")).hasSize(TeamView.MESSAGES).first().asString().contains("note 3");
        assertThat(rows(team(tasks, messages), 30)).allSatisfy(r -> assertThat(r.length()).isLessThanOrEqualTo(30));
    }

    @Test
    void manyTasksShowTheOpenOnesFirst() {
        var tasks = IntStream.rangeClosed(1, 12).mapToObj(i -> new TeamInfo.Task(i, "t" + i, i <= 6 ? "completed" : "pending", Optional.empty(), List.<Integer>of()))
                .toList();
        List<String> rows = rows(team(tasks, List.of()), 100);
        assertThat(rows).filteredOn(r -> r.startsWith("  #")).hasSize(TeamView.TASKS).first().asString().startsWith("  #7 ☐");
        assertThat(rows).contains("  … 4 more tasks");
    }
}
