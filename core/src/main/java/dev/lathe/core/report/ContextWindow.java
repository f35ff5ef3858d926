package dev.lathe.core.report;

import dev.lathe.core.context.ContextBudget;
import dev.lathe.core.context.ContextBuilder;

import dev.lathe.llm.Content;
import dev.lathe.llm.LlmMessage;
import dev.lathe.llm.LlmRequest;
import dev.lathe.llm.TokenEstimate;
import dev.lathe.llm.ToolSpec;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.api.ContextReport;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import java.util.List;
import java.util.Optional;

/**
 * What fills the context window (decisions §45): the next request, as {@link ContextBuilder} builds it, estimated block
 * by block with {@link TokenEstimate}. The blocks add up to {@link TokenEstimate#of(LlmRequest)}: each system block
 * counts as a message (its framing included), tool results and the images tools attached count as tool outputs, the
 * rest of the messages (their framing too) as conversation. Pure.
 */
public final class ContextWindow {
    private ContextWindow() {}

    /**
     * @param next the request the session would send now
     * @param budget the model's window and the reserve for its answer, as compaction counts them
     * @param history the stored messages the request was built from: the last step's reported usage is read from them
     */
    public static ContextReport of(SessionId session, String model, ContextBudget budget, LlmRequest next, List<MessageWithParts> history) {
        int contextLimit = budget.contextLimit();
        List<String> system = next.system();
        long blockA = system.isEmpty() ? 0 : asMessage(system.getFirst());
        long blockB = 0;
        for (String s : system.subList(Math.min(1, system.size()), system.size())) blockB += asMessage(s);
        long tools = 0;
        for (ToolSpec t : next.tools()) tools += TokenEstimate.of(t);
        long conversation = 0;
        long toolOutputs = 0;
        for (LlmMessage m : next.messages()) {
            long outputs = 0;
            for (Content c : m.content()) if (c instanceof Content.ToolResult || c instanceof Content.Image) outputs += TokenEstimate.of(c);
            toolOutputs += outputs;
            conversation += TokenEstimate.of(m) - outputs;
        }
        var blocks = new ContextReport.Blocks(blockA, tools, blockB, conversation, toolOutputs);
        int reserved = budget.reservedOutput();
        long free = contextLimit <= 0 ? 0 : Math.max(0, contextLimit - reserved - blocks.total());
        return new ContextReport(session, model, contextLimit, reserved, blocks, lastInput(history), free);
    }

    private static long asMessage(String text) {
        return TokenEstimate.of(LlmMessage.user(List.of(new Content.Text(text))));
    }

    /** The prompt size the provider reported for the session's last finished step. */
    static Optional<Long> lastInput(List<MessageWithParts> history) {
        for (MessageWithParts m : history.reversed()) {
            for (Part p : m.parts().reversed()) {
                if (p instanceof Part.StepFinish f && f.usage().prompt() > 0) return Optional.of(f.usage().prompt());
            }
        }
        return Optional.empty();
    }
}
