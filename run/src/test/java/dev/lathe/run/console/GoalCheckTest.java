package dev.lathe.run.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.wire.WireJson;
import dev.lathe.term.GoalCheck;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A goal loop's decisions, from the check's part as the server answers it, without a server or a process. */
class GoalCheckTest {
    private static final SessionId S = new SessionId("ses_goal");
    private static final RawJson INPUT = new RawJson("{\"command\":\"npm test\"}");

    @Test
    void aPassingCheckEndsTheLoopWithZero() {
        GoalCheck check = GoalCheck.of("npm test", answer(completed("ok\nexit code: 0", ToolDisplay.CommandRun.exited("npm test", 0))));
        assertThat(check.passed()).isTrue();
        assertThat(check.output()).isEqualTo("ok");
        assertThat(check.line(2, 10)).isEqualTo("lathe: check `npm test` exited 0 (turn 2 of 10)");
        assertThat(GoalLoop.after(check, 2, 10)).isEqualTo(new GoalLoop.Next.Stop(ExitCode.FINISHED));
    }

    @Test
    void aFailingCheckSendsItsCommandAndCodeBackButNotItsOutputUntilTheTurnsRunOut() {
        GoalCheck check = GoalCheck.of("npm test", answer(completed("1 failing\n  expected 2, got 3\nexit code: 1", ToolDisplay.CommandRun.exited("npm test", 1))));
        assertThat(check.passed()).isFalse();
        assertThat(check.line(1, 3)).isEqualTo("lathe: check `npm test` exited 1 (turn 1 of 3)");
        // the output reaches the model once: as the result of the check the transcript records just above the prompt
        assertThat(GoalLoop.after(check, 1, 3)).isInstanceOfSatisfying(GoalLoop.Next.Turn.class, t -> assertThat(t.prompt())
                .isEqualTo("The goal check `npm test` exited with code 1 after turn 1 of 3, so the goal is not reached yet. Its output is the result"
                        + " of the command run just above. Keep working until the check passes (exits with code 0); it runs again when this turn ends."));
        assertThat(GoalLoop.after(check, 3, 3)).isEqualTo(new GoalLoop.Next.Stop(ExitCode.MODEL_ERROR));
    }

    @Test
    void theJsonLineCarriesOnlyTheEndOfALongOutput() {
        String output = "first line\n" + "x".repeat(10_000) + "\nFAILED: the last test\nexit code: 1";
        GoalCheck check = GoalCheck.of("make test", answer(completed(output, ToolDisplay.CommandRun.exited("make test", 1))));
        assertThat(check.tail()).hasSize(GoalCheck.PROMPT_TAIL).endsWith("FAILED: the last test");
        assertThat(check.followUp(1, 10)).doesNotContain("FAILED").doesNotContain("xxx");
    }

    @Test
    void aCheckThatTimedOutIsAFailureTheModelMayFix() {
        var timedOut = new ToolDisplay.CommandRun("sleep 999", ToolDisplay.CommandRun.Ending.TIMED_OUT, Optional.empty());
        GoalCheck check = GoalCheck.of("sleep 999", answer(completed("command timed out after 600000 ms and was killed", timedOut)));
        assertThat(check.ending()).isEqualTo(GoalCheck.Ending.TIMED_OUT);
        assertThat(check.line(1, 10)).isEqualTo("lathe: check `sleep 999` timed out (turn 1 of 10)");
        assertThat(GoalLoop.after(check, 1, 10)).isInstanceOfSatisfying(GoalLoop.Next.Turn.class,
                t -> assertThat(t.prompt()).contains("did not finish in time and was stopped"));
    }

    @Test
    void aCheckThatCouldNotRunEndsTheLoopWithOne() {
        GoalCheck check = GoalCheck.of("npm test", answer(new ToolState.Failed(INPUT, "the sandbox could not start", 0, 1)));
        assertThat(check.ending()).isEqualTo(GoalCheck.Ending.NOT_RUN);
        assertThat(check.line(1, 10)).isEqualTo("lathe: check `npm test` did not run (turn 1 of 10)");
        assertThat(GoalLoop.after(check, 1, 10)).isEqualTo(new GoalLoop.Next.Stop(ExitCode.MODEL_ERROR));
        assertThat(GoalCheck.of("npm test", new MessageWithParts(message(), List.of())).ending()).isEqualTo(GoalCheck.Ending.NOT_RUN);
    }

    @Test
    void theJsonLineSaysTheCheckTheTurnAndTheOutcome() throws Exception {
        GoalCheck check = GoalCheck.of("npm test", answer(completed("1 failing\nexit code: 1", ToolDisplay.CommandRun.exited("npm test", 1))));
        var line = WireJson.mapper().readTree(check.json(2, 5));
        assertThat(line.get("type").asString()).isEqualTo("check");
        assertThat(line.get("command").asString()).isEqualTo("npm test");
        assertThat(line.get("turn").asInt()).isEqualTo(2);
        assertThat(line.get("maxTurns").asInt()).isEqualTo(5);
        assertThat(line.get("ending").asString()).isEqualTo("exited");
        assertThat(line.get("exitCode").asInt()).isEqualTo(1);
        assertThat(line.get("passed").asBoolean()).isFalse();
        assertThat(line.get("output").asString()).isEqualTo("1 failing");
        var notRun = WireJson.mapper().readTree(GoalCheck.of("x", answer(new ToolState.Failed(INPUT, "no", 0, 1))).json(1, 1));
        assertThat(notRun.has("exitCode")).isFalse();
        assertThat(notRun.get("ending").asString()).isEqualTo("not_run");
    }

    private static ToolState.Completed completed(String output, ToolDisplay.CommandRun display) {
        return new ToolState.Completed(INPUT, output, "npm test", Map.of(), 0, 1, List.of(), Optional.of(display));
    }

    private static MessageWithParts answer(ToolState state) {
        AssistantMessage message = message();
        return new MessageWithParts(message, List.of(new Part.Tool(PartId.next(), S, message.id(), "user_1", "bash", state)));
    }

    private static AssistantMessage message() {
        return new AssistantMessage(MessageId.next(), S, MessageId.next(), "build", "fake/m", 0, Optional.of(1L), Optional.of("stop"), Optional.empty(), Usage.ZERO, 0);
    }
}
