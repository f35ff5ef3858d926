package dev.lathe.testkit;

import java.util.List;

/** One piece of a scripted model response, streamed in order. */
public sealed interface Step {
    /** {@code text} streamed as {@code deltas}, one event each; {@link #text(String)} cuts it into a dozen characters per delta. */
    record Text(String text, List<String> deltas) implements Step {
        public Text {
            deltas = List.copyOf(deltas);
            if (!text.equals(String.join("", deltas))) throw new IllegalArgumentException("the deltas do not make up the text");
        }

        public Text(String text) { this(text, Chunks.of(text, 12)); }
    }

    record Reasoning(String text, String signature) implements Step {}

    /** {@code argsJson} is sent verbatim, split into several argument deltas (it may be malformed on purpose). */
    record ToolCall(String id, String name, String argsJson) implements Step {}

    static Step text(String text) { return new Text(text); }

    /**
     * Text streamed as exactly these deltas, one event each (with {@link Turn#delayBetweenEvents} between them); a delta
     * may hold {@link FakeLlm#SEND_TIME}.
     */
    static Step textDeltas(List<String> deltas) { return new Text(String.join("", deltas), deltas); }

    static Step reasoning(String text) { return new Reasoning(text, "sig-" + Integer.toHexString(text.hashCode())); }

    static Step toolCall(String id, String name, String argsJson) { return new ToolCall(id, name, argsJson); }
}
