package dev.lathe.llm.debug;

import dev.lathe.llm.LlmError;
import dev.lathe.llm.LlmEvent;
import dev.lathe.llm.StopReason;
import dev.lathe.llm.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One response's events folded into what a reader cares about. Text of several blocks is concatenated without a
 * separator; {@code toolCalls} holds only client tool calls, provider-run tools go to {@code hostedTools}.
 */
public record MergedResponse(String text, String reasoning, Optional<String> signature, List<LlmEvent.ToolCallFinished> toolCalls,
        List<LlmEvent.HostedToolUsed> hostedTools, int startedCalls, Optional<TokenUsage> usage, StopReason finish,
        Optional<LlmError> error) {

    /** The final event this response ended with. */
    public LlmEvent.Finished finished() { return new LlmEvent.Finished(finish, error); }

    public static MergedResponse of(List<LlmEvent> events) {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        Optional<String> signature = Optional.empty();
        List<LlmEvent.ToolCallFinished> calls = new ArrayList<>();
        List<LlmEvent.HostedToolUsed> hosted = new ArrayList<>();
        Optional<TokenUsage> usage = Optional.empty();
        StopReason finish = StopReason.ERROR;
        Optional<LlmError> error = Optional.of(new LlmError.Transport("no Finished event"));
        int started = 0;
        for (LlmEvent e : events) {
            switch (e) {
                case LlmEvent.TextDelta d -> text.append(d.text());
                case LlmEvent.ReasoningDelta d -> {
                    reasoning.append(d.text());
                    if (d.signature().isPresent()) signature = d.signature();
                }
                case LlmEvent.ToolCallStarted _ -> started++;
                case LlmEvent.ToolCallArgsDelta _, LlmEvent.QuotaReported _ -> { }
                case LlmEvent.ToolCallFinished f -> calls.add(f);
                case LlmEvent.HostedToolUsed h -> hosted.add(h);
                case LlmEvent.UsageReported u -> usage = Optional.of(u.usage());
                case LlmEvent.Finished f -> {
                    finish = f.reason();
                    error = f.error();
                }
            }
        }
        return new MergedResponse(text.toString(), reasoning.toString(), signature, calls, hosted, started, usage, finish, error);
    }
}
