package dev.lathe.run.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PartId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.event.RunResult;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Usage;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.wire.WireJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pieces of {@code lathe run}'s headless contract that need no server: commands, piped input, the result. */
class HeadlessContractTest {
    private static final SessionId S = new SessionId("ses_1");

    @Test
    void aSlashWordShapedLikeACommandIsACommandAPathIsNot() {
        assertThat(SlashCommand.nameOf("/nosuch")).contains("nosuch");
        assertThat(SlashCommand.nameOf("/review the parser")).contains("review");
        assertThat(SlashCommand.nameOf("/frontend:check x")).contains("frontend:check");
        assertThat(SlashCommand.nameOf("/etc/hosts: what is it?")).isEmpty();
        assertThat(SlashCommand.nameOf("/ spaced")).isEmpty();
        assertThat(SlashCommand.nameOf("explain /undo")).isEmpty();
        assertThat(SlashCommand.nameOf("/")).isEmpty();
    }

    @Test
    void pipedInputIsReadToItsEndAndAClosedOrSilentPipeGivesNothing() throws IOException {
        assertThat(PipedStdin.read(new ByteArrayInputStream("diff --git a/x\n+y\n".getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(5)))
                .contains("diff --git a/x\n+y");
        assertThat(PipedStdin.read(InputStream.nullInputStream(), Duration.ofSeconds(5))).isEmpty();
        assertThat(PipedStdin.read(new ByteArrayInputStream("\n  \n".getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(5))).isEmpty();
        var writer = new PipedOutputStream();
        var silent = new PipedInputStream(writer);
        long start = System.nanoTime();
        assertThat(PipedStdin.read(silent, Duration.ofMillis(200))).as("an open pipe nobody writes").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        writer.close();
    }

    @Test
    void aLimitReachedByASubagentNamesTheRunsOwnSessionToContinue() {
        var child = new SessionId("ses_child");
        var ask = new dev.lathe.protocol.event.PermissionRequest(new dev.lathe.protocol.PermissionId("prm_b"), child, new MessageId("msg_1"), "",
                "budget", List.of("limits.session.usd"), List.of(), "Spend limit reached", java.util.Map.of("limit", "limits.session.usd", "spent",
                "session $5.02 of $5.00"), 1);
        assertThat(RunNotices.limitMessage(ask, S)).startsWith("lathe: spend limit reached: session $5.02 of $5.00 (limits.session.usd).")
                .contains("continue with lathe run --session ses_1,").doesNotContain("ses_child");
    }

    /** DESIGN §18: a child's ask says which child asks; its title is the model's words, shown without its controls (§24). */
    @Test
    void aChildsAskNamesTheChildInTheRejectionAndTheLimitMessage() {
        var child = new SessionId("ses_child");
        var asking = java.util.Optional.of(new dev.lathe.protocol.event.AskingChild(S, "general", "Scan \u001b]52;c;eA==\u0007 (@general subagent)"));
        var ask = new dev.lathe.protocol.event.PermissionRequest(new dev.lathe.protocol.PermissionId("prm_c"), child, new MessageId("msg_1"), "c1",
                "bash", List.of("rm -rf x"), List.of(), "rm -rf x", java.util.Map.of(), 1, Optional.empty(),
                dev.lathe.protocol.event.ApprovalScope.PROJECT, asking);
        String rejected = RunNotices.rejectedMessage(ask);
        assertThat(rejected).startsWith("lathe: permission rejected: bash rm -rf x, asked by child \"Scan ␛]52;c;eA==␇ (@general subagent)\"")
                .doesNotContain("\u001b").doesNotContain("\u0007");
        var limit = new dev.lathe.protocol.event.PermissionRequest(new dev.lathe.protocol.PermissionId("prm_d"), child, new MessageId("msg_1"), "",
                "budget", List.of("limits.session.usd"), List.of(), "Spend limit reached", java.util.Map.of("limit", "limits.session.usd", "spent",
                "session $5.02 of $5.00"), 1, Optional.empty(), dev.lathe.protocol.event.ApprovalScope.PROJECT, asking);
        assertThat(RunNotices.limitMessage(limit, S)).endsWith("It was reached by child \"Scan ␛]52;c;eA==␇ (@general subagent)\".");
        var own = new dev.lathe.protocol.event.PermissionRequest(new dev.lathe.protocol.PermissionId("prm_e"), S, new MessageId("msg_1"), "c1",
                "bash", List.of("ls"), List.of(), "ls", java.util.Map.of(), 1);
        assertThat(RunNotices.rejectedMessage(own)).startsWith("lathe: permission rejected: bash ls (lathe run answers").doesNotContain("child");
    }

    @Test
    void thePromptIsTheMessageThenThePipedText() {
        assertThat(options("review this:", Optional.of("+x")).prompt()).isEqualTo("review this:\n\n+x");
        assertThat(options("", Optional.of("explain a.txt")).prompt()).isEqualTo("explain a.txt");
        assertThat(options("hello", Optional.empty()).prompt()).isEqualTo("hello");
    }

    @Test
    void theResultCountsTheLastTurnOnlyAndAnswersWithItsLastStepsText() {
        MessageId earlierAnswer = MessageId.next();
        MessageId prompt = MessageId.next();
        MessageId answer = MessageId.next();
        var history = List.of(
                assistant(earlierAnswer, new Usage(999, 9, 0, 0, 0), 5, Optional.empty(), List.of(step(earlierAnswer), text(earlierAnswer, "old"), finish(earlierAnswer))),
                new MessageWithParts(new UserMessage(prompt, S, 0, "build", "fake/m"), List.of()),
                assistant(answer, new Usage(200, 40, 0, 10, 0), 1234, Optional.of("stop"), List.of(step(answer), text(answer, "Reading."),
                        finish(answer), step(answer), text(answer, "Done: "), text(answer, "it works."), finish(answer))));

        RunResult result = TurnTally.of(history).result(S, Optional.empty(), 0, 2450);

        assertThat(result.text()).isEqualTo("Done: it works.");
        assertThat(result.steps()).isEqualTo(2);
        assertThat(result.tokens()).isEqualTo(new Usage(200, 40, 0, 10, 0));
        assertThat(result.cost()).isEqualTo(1234);
        assertThat(result.reason()).isEqualTo("stop");
        assertThat(RunSummary.line(result)).isEqualTo("lathe: 2 steps, 250 tokens, $0.0012, 2.5 s, session ses_1");
        String json = WireJson.writeResult(result);
        assertThat(json).startsWith("{\"type\":\"result\",").contains("\"sessionId\":\"ses_1\"").contains("\"text\":\"Done: it works.\"")
                .contains("\"steps\":2").contains("\"reason\":\"stop\"").contains("\"exitCode\":0").contains("\"durationMs\":2450");
        // dollars beside the micro-dollars, as Claude Code's total_cost_usd
        assertThat(json).contains("\"cost\":1234,\"costUsd\":0.001234,");

        var failed = TurnTally.of(history).result(S, Optional.of(new MessageError("aborted", "aborted by the user")), ExitCode.INTERRUPTED, 10);
        assertThat(failed.reason()).isEqualTo("aborted");
        assertThat(WireJson.writeResult(failed)).contains("\"error\":{\"kind\":\"aborted\"");
    }

    @Test
    void aFailedTurnsRetriedAttemptsAreNotCountedAsSteps() {
        MessageId prompt = MessageId.next();
        MessageId answer = MessageId.next();
        // one step that went through, then a step tried three times that failed each time
        var history = List.of(new MessageWithParts(new UserMessage(prompt, S, 0, "build", "fake/m"), List.of()),
                assistant(answer, Usage.ZERO, 0, Optional.of("error"), List.of(step(answer), finish(answer), step(answer), failed(answer),
                        step(answer), failed(answer), step(answer), failed(answer))));

        var result = TurnTally.of(history).result(S, Optional.of(new MessageError("overloaded", "overloaded (after 3 attempts)")), ExitCode.MODEL_ERROR, 10);

        assertThat(result.steps()).isEqualTo(2);
        assertThat(RunSummary.line(result)).startsWith("lathe: 2 steps, ");
    }

    private static Part failed(MessageId m) { return new Part.StepFinish(PartId.next(), S, m, "error", Usage.ZERO, 0, Optional.empty()); }

    private static RunOptions options(String message, Optional<String> piped) {
        return new RunOptions("/tmp", message, piped, Optional.empty(), Optional.empty(), Optional.empty(), false, OutputFormat.text, false);
    }

    private static MessageWithParts assistant(MessageId id, Usage usage, long cost, Optional<String> finish, List<Part> parts) {
        return new MessageWithParts(new AssistantMessage(id, S, id, "build", "fake/m", 0, Optional.of(1L), finish, Optional.empty(), usage, cost), parts);
    }

    private static Part step(MessageId m) { return new Part.StepStart(PartId.next(), S, m, Optional.empty()); }

    private static Part finish(MessageId m) { return new Part.StepFinish(PartId.next(), S, m, "stop", Usage.ZERO, 0, Optional.empty()); }

    private static Part text(MessageId m, String t) { return new Part.Text(PartId.next(), S, m, t, false); }
}
