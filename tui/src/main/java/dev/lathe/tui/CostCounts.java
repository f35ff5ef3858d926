package dev.lathe.tui;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.PromptNotRun;
import dev.lathe.protocol.session.UserMessage;
import dev.lathe.tui.view.Footer;
import java.util.List;

/**
 * What {@code /cost}'s money went on: "10 requests in 2 prompts". One answer (an assistant message) spans every model
 * request of its turn and every prompt queued into it, so counting answers said "over 1 response" for ten requests in
 * two turns (issue 53).
 */
final class CostCounts {
    private CostCounts() {}

    /** The model requests (each ends with a step-finish part) and the prompts the user sent, in {@code history}. */
    static String of(List<MessageWithParts> history) {
        long requests = 0;
        long prompts = 0;
        for (MessageWithParts m : history) {
            // a prompt the user typed: not a command they ran, a compaction marker or one an abort left not run
            if (m.info() instanceof UserMessage && !PromptNotRun.marks(m.parts())
                    && m.parts().stream().anyMatch(p -> p instanceof Part.Text t && !t.synthetic())) {
                prompts++;
            }
            for (Part p : m.parts()) if (p instanceof Part.StepFinish) requests++;
        }
        return Footer.count(requests, "request", "requests") + " in " + Footer.count(prompts, "prompt", "prompts");
    }
}
