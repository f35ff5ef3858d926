package dev.lathe.core.session;

import static dev.lathe.core.session.ScriptedProtocol.call;
import static dev.lathe.core.session.ScriptedProtocol.finish;
import static dev.lathe.core.session.ScriptedProtocol.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.llm.TokenUsage;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.LatheException;
import dev.lathe.protocol.api.ContextReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /sessions/{id}/context} on the real core: the next request, estimated block by block. */
class ContextReportTest {
    @TempDir Path tmp;

    @Test
    void theNextRequestIsSplitIntoItsBlocksBesideTheLastReportedSize() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            Files.writeString(h.project.resolve("AGENTS.md"), "Always run the whole test suite before you answer.\n");
            Files.writeString(h.project.resolve("a.txt"), "alpha\n".repeat(200));
            h.llm.then(Stream.of(new LlmEvent[] {text("Reading.")}, call(1, "c1", "read", "{\"path\":\"a.txt\"}"),
                    new LlmEvent[] {new LlmEvent.UsageReported(new TokenUsage(900, 20, 0, 0, 4100)), finish(StopReason.TOOL_CALLS)})
                    .flatMap(Stream::of).toArray(LlmEvent[]::new));
            h.llm.then(text("It is alpha, 200 times."), new LlmEvent.UsageReported(new TokenUsage(1300, 12, 0, 5000, 0)), finish(StopReason.STOP));
            var s = h.session();
            h.promptAndWait(s.id(), "what is in a.txt?");

            ContextReport report = h.api.context(s.id());

            // the next request is the last one sent plus the answer to it
            LlmRequest last = h.llm.requests.getLast();
            var answer = LlmMessage.assistant(List.of(new Content.Text("It is alpha, 200 times.")));
            var blocks = report.estimate();
            assertThat(blocks.total()).isEqualTo(TokenEstimate.of(last) + TokenEstimate.of(answer));
            assertThat(blocks.system()).isEqualTo(TokenEstimate.of(LlmMessage.user(List.of(new Content.Text(last.system().getFirst()))))).isPositive();
            assertThat(blocks.tools()).isEqualTo(last.tools().stream().mapToLong(TokenEstimate::of).sum()).isPositive();
            assertThat(blocks.instructions()).isGreaterThanOrEqualTo(TokenEstimate.of("Always run the whole test suite before you answer."));
            long outputs = last.messages().stream().flatMap(m -> m.content().stream()).filter(Content.ToolResult.class::isInstance)
                    .mapToLong(TokenEstimate::of).sum();
            assertThat(blocks.toolOutputs()).isEqualTo(outputs).isGreaterThan(200);
            assertThat(blocks.conversation()).isEqualTo(blocks.messages() - outputs).isPositive();

            assertThat(report.model()).isEqualTo("fake/m");
            assertThat(report.contextLimit()).isEqualTo(100_000);
            assertThat(report.reservedOutput()).isEqualTo(4_000);
            assertThat(report.lastInput()).contains(1300L + 5000);
            assertThat(report.free()).isEqualTo(100_000 - 4_000 - blocks.total());
        }
    }

    @Test
    void aSessionWithoutMessagesHasOnlyTheFixedBlocks() throws Exception {
        try (var h = new Harness(tmp, "", 10)) {
            var s = h.session();
            ContextReport report = h.api.context(s.id());
            assertThat(report.estimate().messages()).isZero();
            assertThat(report.estimate().system()).isPositive();
            // a plain session's first request: none of the tools offered only where they apply (the budget tool without
            // spend limits, decision 119; report_findings, the review agent's; the trackers, skill and todoread, decision 494)
            assertThat(report.estimate().tools()).isEqualTo(dev.lathe.tools.ToolRegistry.builtins().all().stream()
                    .filter(t -> !dev.lathe.tools.Effect.offeredOnlyWhereItApplies(t.effects()))
                    .mapToLong(t -> TokenEstimate.of(t.spec())).sum());
            assertThat(report.lastInput()).isEmpty();
            assertThatThrownBy(() -> h.api.context(SessionId.next())).isInstanceOf(LatheException.class).hasMessageContaining("no session");
        }
    }
}
