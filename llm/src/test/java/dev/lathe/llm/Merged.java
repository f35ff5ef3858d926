package dev.lathe.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The events of one response folded into what a reader cares about: text, reasoning, tool calls, usage, finish. */
public record Merged(String text, String reasoning, Optional<String> signature, List<LlmEvent.ToolCallFinished> calls,
        Optional<TokenUsage> usage, Optional<LlmEvent.Finished> finished, int startedCalls) {

    public static Merged of(List<LlmEvent> events) {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        Optional<String> signature = Optional.empty();
        List<LlmEvent.ToolCallFinished> calls = new ArrayList<>();
        Optional<TokenUsage> usage = Optional.empty();
        Optional<LlmEvent.Finished> finished = Optional.empty();
        int started = 0;
        for (LlmEvent e : events) {
            switch (e) {
                case LlmEvent.TextDelta d -> text.append(d.text());
                case LlmEvent.ReasoningDelta d -> {
                    reasoning.append(d.text());
                    if (d.signature().isPresent()) signature = d.signature();
                }
                case LlmEvent.ToolCallStarted _ -> started++;
                case LlmEvent.ToolCallArgsDelta _ -> { }
                case LlmEvent.ToolCallFinished f -> calls.add(f);
                case LlmEvent.UsageReported u -> usage = Optional.of(u.usage());
                case LlmEvent.Finished f -> finished = Optional.of(f);
            }
        }
        return new Merged(text.toString(), reasoning.toString(), signature, calls, usage, finished, started);
    }
}
