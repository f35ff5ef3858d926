package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.api.ChildSession;
import dev.lathe.protocol.session.Session;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /agents} in the terminal UI (issue 56; tmux, the packaged jar, the daemon): the attached session's running
 * background child is listed with its status, cost and last activity, and cancelled from there; its parent then
 * receives its result as cancelled. The child's title, which the model chose with escape sequences in it, shows them
 * as visible marks: the terminal's title is not set and no colour is switched on by it.
 */
class AgentsTerminalIT {
    private static final Duration WAIT = AgentBeds.WAIT;

    @TempDir Path home;

    @Test
    void slashAgentsListsTheRunningChildAndCancelsItWithItsHostileTitleShownHarmlessly() throws Exception {
        var never = new CountDownLatch(1);
        try (var bed = TuiBed.start("notes\n")) {
            bed.llm.respondWith(r -> {
                if (r.lastUserText().startsWith("<task-result")) return Turn.of(Step.text("PARENT-SAW-" + (r.lastUserText().contains("status=\"cancelled\"")
                        ? "CANCELLED" : "OTHER")));
                if (r.lastUserText().contains("probe the repo")) return AgentBeds.open(never) ? Turn.of(Step.text("late")) : Turn.of(Step.text("late"));
                if (r.toolResult("t1").isEmpty()) {
                    return AgentBeds.call("t1", "task", "{\"description\":\"Probe\\u001b]0;owned\\u0007\\u001b[31mRED\",\"prompt\":\"probe the repo\","
                            + "\"agent\":\"general\",\"background\":true}");
                }
                return Turn.of(Step.text("PARENT-GOES-ON"));
            });
            var tmux = AgentBeds.openTerminal(bed, home, AgentBeds.config(bed.llm, "sk-t", ""), 160, 40);
            tmux.type("probe in the background").sendKeys("Enter");
            tmux.awaitText("PARENT-GOES-ON", WAIT);
            tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);
            // the task's call returned at its start: marked as running on in the background, never ✓ done (issue 71, minor 4)
            String started = tmux.capture().lines().filter(l -> l.contains("task @general")).findFirst().orElseThrow(() -> new AssertionError(tmux.capture()));
            assertThat(started.strip()).startsWith("◆ task @general").contains("in the background").doesNotContain("✓");

            tmux.type("/agents").sendKeys("Enter");
            // the picker's row, not the completion's hint ("/agents  Subagents of this session…" shows while typing)
            String listed = tmux.await("the /agents picker's row", c -> c.lines().anyMatch(l -> l.contains("Probe") && l.contains("running")), WAIT);
            // the picker's row (the transcript's task line names the title too)
            String row = listed.lines().filter(l -> l.contains("Probe") && l.contains("running")).findFirst().orElseThrow(() -> new AssertionError(listed));
            assertThat(row).contains("◆").contains("owned").contains("RED").contains("running · $").contains("just now");
            assertThat(tmux.captureAnsi()).as("no colour switched on by the title").doesNotContain("\u001b[31mRED");
            tmux.sendKeys("Enter");
            tmux.awaitText("Cancel it", WAIT);
            tmux.type("Cancel").sendKeys("Enter");
            tmux.awaitText("Cancelled Probe", WAIT);
            tmux.awaitText("PARENT-SAW-CANCELLED", WAIT);

            try (var api = HttpLatheClient.connect(bed.lathe.server().orElseThrow(), Optional.of(bed.ws.path().toString()))) {
                Session parent = api.sessions(bed.ws.path().toString()).stream().filter(s -> s.parentId().isEmpty()).findFirst().orElseThrow();
                assertThat(api.childSessions(parent.id())).extracting(ChildSession::status).containsExactly("cancelled");
            }
        } finally {
            never.countDown();
        }
    }
}
