package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.testkit.RecordedRequest;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String HOSTILE = "\\u001b]0;owned\\u0007\\u001b[31mRED <b>bold</b>";

    @TempDir Path home;

    private static boolean isMember(RecordedRequest r, String name) { return r.body().contains("You are " + name + ", a member"); }

    private static Turn call(String id, String tool, String args) { return Turn.of(Step.toolCall(id, tool, args)).finish("tool_calls"); }

    private static boolean open(CountDownLatch gate) {
        try {
            return gate.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void slashTeamShowsMembersTasksAndMessagesAndFollowsTheTeamLive() throws Exception {
        var anaGoes = new CountDownLatch(1);
        try (var bed = TuiBed.start("notes\n")) {
            bed.llm.respondWith(r -> {
                if (isMember(r, "ana")) {
                    if (r.toolResult("a1").isEmpty()) return open(anaGoes) ? call("a1", "team_tasks", "{\"op\":\"claim\",\"id\":1}") : Turn.of(Step.text("late"));
                    if (r.toolResult("a2").isEmpty()) return call("a2", "team_tasks", "{\"op\":\"update\",\"id\":1,\"status\":\"completed\"}");
                    if (r.toolResult("a3").isEmpty()) return call("a3", "send_message", "{\"to\":\"lead\",\"text\":\"ANA-FOUND-IT in notes.txt\"}");
                    return Turn.of(Step.text("ANA-DONE"));
                }
                if (isMember(r, "bo")) return Turn.of(Step.text("BO-READY"));
                if (r.lastUserText().contains("from=\"ana\"")) return Turn.of(Step.text("LEAD-HEARD-ANA"));
                if (r.toolResult("c1").isEmpty()) {
                    return call("c1", "team_create", "{\"name\":\"fixers\",\"members\":[{\"name\":\"ana\",\"prompt\":\"Find the bug.\"},"
                            + "{\"name\":\"bo\",\"prompt\":\"Fix the bug.\"}]}");
                }
                if (r.toolResult("c2").isEmpty()) return call("c2", "team_tasks", "{\"op\":\"add\",\"title\":\"find the bug " + HOSTILE + "\"}");
                if (r.toolResult("c3").isEmpty()) return call("c3", "team_tasks", "{\"op\":\"add\",\"title\":\"fix it\",\"dependsOn\":[1]}");
                if (r.toolResult("c4").isEmpty()) return call("c4", "send_message", "{\"to\":\"*\",\"text\":\"tasks are up\\n" + HOSTILE + "\"}");
                return Turn.of(Step.text("LEAD-WAITING"));
            });
            bed.lathe = new Lathe(home, Lathe.providerConfig("openai-chat", bed.llm.baseUrl(), "sk-t").replaceFirst("\\}\\s*$",
                    ", \"agents\": {\"maxTeamMembers\": 3}}"));
            bed.tmux = Tmux.start(bed.lathe.command(), bed.ws.path(), 150, 45);
            var tmux = bed.tmux;
            tmux.awaitText("Ask anything", WAIT);
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
            shot(tmux, "team-board-before.txt");

            // ana goes to work: the board follows without a key pressed
            anaGoes.countDown();
            String after = tmux.await("ana's work on the board", c -> c.contains("1/2 tasks done") && c.contains("ana → lead: ANA-FOUND-IT")
                    && c.lines().anyMatch(l -> l.contains("○ ana") && l.contains("idle")), WAIT);
            assertThat(line(after, "#1 ☑ find the bug")).contains("· ana");
            assertThat(line(after, "#2 ☐ fix it")).as("#1 is done: #2 waits for nothing").doesNotContain("after");
            tmux.awaitText("LEAD-HEARD-ANA", WAIT);
            shot(tmux, "team-board-after.txt");

            tmux.type("/team").sendKeys("Enter");
            tmux.await("the board hidden", c -> !c.contains("⚑ Team fixers"), WAIT);
        } finally {
            anaGoes.countDown();
        }
    }

    private static String line(String screen, String part) {
        return screen.lines().filter(l -> l.contains(part)).findFirst().orElseThrow(() -> new AssertionError("no line with " + part + " in:\n" + screen));
    }

    /** The screen as text beside the test's reports, to look at. */
    private static void shot(Tmux tmux, String name) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Files.writeString(dir.resolve(name), tmux.capture());
    }
}
