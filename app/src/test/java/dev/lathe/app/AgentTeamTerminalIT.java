package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /team} in the terminal UI (issue 57; tmux, the packaged jar, the daemon, the fake model): a lead calls
 * {@code team_create} (ana and bo), {@code team_tasks add} twice (the second after the first) and {@code send_message}
 * to everyone; the board shows the members with agent, model and status, the tasks with their order, and the message.
 * Then ana, released, claims and completes task 1 and messages the lead: the board follows live, with no key pressed.
 * The task's title and the message, which the model wrote with escape sequences and markup in them, show those as
 * visible marks: no colour switched on, no window title set.
 */
class AgentTeamTerminalIT {
    private static final Duration WAIT = AgentBeds.WAIT;
    private static final String HOSTILE = "\\u001b]0;owned\\u0007\\u001b[31mRED <b>bold</b>";

    @TempDir Path home;

    @Test
    void slashTeamShowsMembersTasksAndMessagesAndFollowsTheTeamLive() throws Exception {
        var anaGoes = new CountDownLatch(1);
        try (var bed = TuiBed.start("notes\n")) {
            AgentBeds.scriptTeam(bed.llm, anaGoes, HOSTILE, "tasks are up\\n" + HOSTILE, "notes.txt");
            var tmux = AgentBeds.openTerminal(bed, home, AgentBeds.config(bed.llm, "sk-t", AgentBeds.TEAMS), 150, 45);
            tmux.type("fix the bug as a team").sendKeys("Enter");
            tmux.awaitText("LEAD-WAITING", WAIT);
            tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);

            tmux.type("/team").sendKeys("Enter");
            String board = tmux.await("the board with bo idle", c -> c.contains("⚑ Team fixers") && c.lines().anyMatch(l -> l.contains("○ bo") && l.contains("idle")),
                    WAIT);
            assertThat(board).contains("2 members · 0/2 tasks done");
            assertThat(line(board, "● ana")).contains("general").contains("fake/fake-model").contains("working");
            assertThat(line(board, "#1 ☐ find the bug")).contains("owned").contains("RED").contains("<b>bold</b>");
            assertThat(line(board, "#2 ☐ fix it")).contains("after #1");
            assertThat(line(board, "lead → *: tasks are up")).contains("RED");
            assertThat(tmux.captureAnsi()).as("no colour switched on by the title or the message").doesNotContain("\u001b[31mRED");
            assertThat(tmux.paneTitle()).doesNotContain("owned");
            AgentBeds.shot(tmux, "team-board-before.txt");

            // ana goes to work: the board follows without a key pressed
            anaGoes.countDown();
            String after = tmux.await("ana's work on the board", c -> c.contains("1/2 tasks done") && c.contains("ana → lead: ANA-FOUND-IT")
                    && c.lines().anyMatch(l -> l.contains("○ ana") && l.contains("idle")), WAIT);
            assertThat(line(after, "#1 ☑ find the bug")).contains("· ana");
            assertThat(line(after, "#2 ☐ fix it")).as("#1 is done: #2 waits for nothing").doesNotContain("after");
            tmux.awaitText("LEAD-HEARD-ANA", WAIT);
            AgentBeds.shot(tmux, "team-board-after.txt");

            tmux.type("/team").sendKeys("Enter");
            tmux.await("the board hidden", c -> !c.contains("⚑ Team fixers"), WAIT);
        } finally {
            anaGoes.countDown();
        }
    }

    private static String line(String screen, String part) {
        return screen.lines().filter(l -> l.contains(part)).findFirst().orElseThrow(() -> new AssertionError("no line with " + part + " in:\n" + screen));
    }
}
