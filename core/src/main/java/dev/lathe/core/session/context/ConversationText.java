package dev.lathe.core.session.context;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.AssistantMessage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.protocol.session.Wrapper;
import java.util.List;
import java.util.Optional;

/**
 * The conversation an ACP agent did not see, as text it is handed before the prompt: the earlier turns of a session
 * that another model answered, or that an agent process now gone took part in. Tool calls are told as what was run
 * and what came of it (outputs cut), never as calls the agent would have to know the tools of.
 */
public final class ConversationText {
    /** The most of one tool output the text keeps. */
    static final int OUTPUT_CHARS = 2_000;
    /** The most the whole text keeps: the newest turns win. */
    static final int TOTAL_CHARS = 200_000;

    private ConversationText() {}

    /**
     * The messages of {@code history} after {@code after} (all when empty) and before {@code prompt}, as text; empty
     * when there are none.
     */
    public static Optional<String> between(List<MessageWithParts> history, Optional<MessageId> after, MessageId prompt) {
        int start = 0;
        if (after.isPresent()) {
            for (int i = 0; i < history.size(); i++) if (history.get(i).info().id().equals(after.get())) start = i + 1;
        }
        var out = new StringBuilder();
        for (MessageWithParts m : history.subList(start, history.size())) {
            if (m.info().id().equals(prompt)) break;
            String told = told(m);
            if (!told.isBlank()) out.append(told).append('\n');
        }
        if (out.isEmpty()) return Optional.empty();
        String text = out.length() > TOTAL_CHARS ? "[earlier turns left out]\n" + out.substring(out.length() - TOTAL_CHARS) : out.toString();
        // one escaping for the whole body (DESIGN §26): a turn holding </conversation-so-far> cannot end the hand-off
        return Optional.of(Wrapper.CONVERSATION_SO_FAR.wrap("This Lathe session had turns before you took it over (another model, or an"
                + " earlier run of yours that ended). They are told here as text for context; tool calls in them were run then, by"
                + " whoever answered, and are not yours to repeat.\n\n" + text.stripTrailing()));
    }

    private static String told(MessageWithParts m) {
        var out = new StringBuilder();
        switch (m.info()) {
            case UserMessage _ -> {
                for (Part p : m.parts()) if (p instanceof Part.Text t && !t.synthetic() && !t.text().isBlank()) out.append(t.text()).append('\n');
                if (!out.isEmpty()) out.insert(0, "## User\n");
            }
            case AssistantMessage a -> {
                for (Part p : m.parts()) {
                    switch (p) {
                        case Part.Text t when !t.text().isBlank() -> out.append(t.text()).append('\n');
                        case Part.Tool t -> out.append(tool(t)).append('\n');
                        case Part.Text _, Part.Reasoning _, Part.File _, Part.StepStart _, Part.StepFinish _, Part.Patch _,
                                Part.Compaction _, Part.Subtask _, Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> { }
                    }
                }
                if (!out.isEmpty()) out.insert(0, "## Assistant (" + a.model() + ")\n");
            }
        }
        return out.toString();
    }

    /** A tool call as one line of what ran, then its output (cut). */
    static String tool(Part.Tool t) {
        String input = t.input().json();
        if (input.length() > 300) input = input.substring(0, 300) + "…";
        String head = "[tool " + t.tool() + " " + input + "]";
        String result = switch (t.state()) {
            case ToolState.Completed c -> c.output();
            case ToolState.Failed f -> "failed: " + f.error();
            case ToolState.Pending _, ToolState.Running _ -> "(did not finish)";
        };
        if (result.length() > OUTPUT_CHARS) result = result.substring(0, OUTPUT_CHARS) + "… [cut]";
        return head + (result.isBlank() ? "" : "\n" + result);
    }
}
