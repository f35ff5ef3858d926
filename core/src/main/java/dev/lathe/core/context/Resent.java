package dev.lathe.core.context;

import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.UserMessage;
import java.util.List;
import java.util.Objects;

/**
 * A prompt sent again after its turn failed before the model answered (no key, a refused request, a stopped turn):
 * both stay in the transcript, as both were accepted, but the model reads the prompt once. Issue 53: the retry of a
 * {@code lathe run --session} whose turn failed sent the prompt twice in one user message.
 */
final class Resent {
    private Resent() {}

    /**
     * The parts of prompt {@code i} of {@code history} for the model: without what the user typed when the next prompt,
     * with nothing answered between (at most answers that failed before saying anything), holds the same typed text
     * and files; its own notes (the environment note of a first message, an agent mention's) stay.
     */
    static List<Part> withoutResentPrompt(List<MessageWithParts> history, int i) {
        List<Part> parts = history.get(i).parts();
        List<String> typed = typed(parts);
        if (typed.isEmpty()) return parts;
        for (int j = i + 1; j < history.size(); j++) {
            MessageWithParts next = history.get(j);
            if (next.info() instanceof UserMessage) {
                return typed.equals(typed(next.parts())) ? parts.stream().filter(p -> !isTyped(p)).toList() : parts;
            }
            if (next.parts().stream().anyMatch(p -> p instanceof Part.Text || p instanceof Part.Tool || p instanceof Part.Reasoning)) return parts;
        }
        return parts;
    }

    /** What the user typed or attached, comparable across two messages. */
    private static List<String> typed(List<Part> parts) {
        return parts.stream().filter(Resent::isTyped).map(p -> switch (p) {
            case Part.Text t -> "text:" + t.text().strip();
            case Part.File f -> "file:" + f.mime() + ":" + f.url();
            case Part.Reasoning _, Part.Tool _, Part.StepStart _, Part.StepFinish _, Part.Patch _, Part.Compaction _,
                    Part.Subtask _, Part.Retry _, Part.ModelSwitch _, Part.Hook _ -> Objects.toString(p);
        }).toList();
    }

    private static boolean isTyped(Part p) {
        return p instanceof Part.Text t && !t.synthetic() || p instanceof Part.File;
    }
}
