package dev.lathe.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.client.HttpLatheClient;
import dev.lathe.protocol.api.ProcessInfo;
import dev.lathe.protocol.session.Session;
import dev.lathe.testkit.ChildProcesses;
import dev.lathe.testkit.Step;
import dev.lathe.testkit.Turn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /ps} in the terminal UI (DESIGN §32; tmux, the packaged jar, the daemon): the model starts a background
 * command that prints escape sequences; {@code /ps} lists it with them shown as visible marks (no colour switched on,
 * no title set); the user picks "Type into it" and types a line, which reaches the very process the model reads; then
 * {@code lathe attach --process} in a second terminal shows the same output and takes a line too; {@code /ps kill} ends
 * it, checked by pid.
 */
class ProcessesTerminalIT {
    private static final Duration WAIT = AgentBeds.WAIT;

    @TempDir Path home;

    @Test
    void theUserListsTypesIntoAndKillsTheModelsBackgroundCommand() throws Exception {
        try (var bed = TuiBed.start("notes\n")) {
            bed.llm.respondWith(r -> {
                if (r.toolResult("b1").isEmpty() && r.lastUserText().contains("start the echo server")) {
                    return AgentBeds.call("b1", "bash", "{\"command\":\"printf 'ready\\\\033]0;owned\\\\007\\\\033[31mRED\\\\n'; "
                            + "while read -r l; do echo typed:$l; done\",\"background\":true}");
                }
                return Turn.of(Step.text("STARTED-IT"));
            });
            var tmux = AgentBeds.openTerminal(bed, home, AgentBeds.config(bed.llm, "sk-ps", "\"permission\": {\"bash\": \"allow\"}"), 160, 40);
            tmux.type("start the echo server").sendKeys("Enter");
            tmux.awaitText("STARTED-IT", WAIT);
            tmux.await("the turn's end", c -> !c.contains("Working…"), WAIT);

            tmux.type("/ps").sendKeys("Enter");
            String listed = tmux.await("the /ps picker's row", c -> c.lines().anyMatch(l -> l.contains("while read") && l.contains("running")), WAIT);
            String row = listed.lines().filter(l -> l.contains("while read") && l.contains("running")).findFirst().orElseThrow();
            assertThat(row).contains("▶").contains("bg_").contains("owned").contains("RED");
            assertThat(tmux.captureAnsi()).as("no colour switched on by the process's output").doesNotContain("\u001b[31mRED");
            tmux.sendKeys("Enter");
            tmux.awaitText("Type into it", WAIT);
            tmux.type("Type").sendKeys("Enter");
            tmux.awaitText("/ps send bg_", WAIT);
            tmux.type("hello from tmux").sendKeys("Enter");
            tmux.awaitText("Sent to bg_", WAIT);
            AgentBeds.shot(tmux, "ps-typed.txt");

            try (var api = HttpLatheClient.connect(bed.lathe.server().orElseThrow(), Optional.of(bed.ws.path().toString()))) {
                Session session = api.sessions(bed.ws.path().toString()).getFirst();
                ProcessInfo p = api.processes().list(session.id()).getFirst();
                AgentBeds.await(() -> api.processes().output(session.id(), p.id(), 0).text().contains("typed:hello from tmux"),
                        () -> api.processes().output(session.id(), p.id(), 0).text());
                // lathe attach --process: the same process, its output from the start with the escapes shown, and a line typed
                try (var attached = Tmux.start(bed.lathe.command("attach", "--process", p.id(), "--session", session.id().value()), bed.ws.path(), 120, 30)) {
                    attached.awaitText("typed:hello from tmux", WAIT);
                    assertThat(attached.capture()).contains("ready").contains("RED");
                    assertThat(attached.captureAnsi()).as("no colour switched on in attach").doesNotContain("\u001b[31mRED");
                    attached.type("via attach").sendKeys("Enter");
                    attached.awaitText("typed:via attach", WAIT);
                    AgentBeds.shot(attached, "attach-process.txt");
                    attached.sendKeys("C-d");
                }
                assertThat(api.processes().output(session.id(), p.id(), 0).text()).contains("typed:via attach");
                tmux.type("/ps kill " + p.id()).sendKeys("Enter");
                tmux.awaitText("Ended " + p.id(), WAIT);
                assertThat(ChildProcesses.isRunning(p.pid())).isFalse();
                assertThat(api.processes().list(session.id()).getFirst().state()).isEqualTo("killed");
            }
        }
    }
}
