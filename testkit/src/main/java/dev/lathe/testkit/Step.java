package dev.lathe.testkit;

/** One piece of a scripted model response, streamed in order. */
public sealed interface Step {
    record Text(String text) implements Step {}

    record Reasoning(String text, String signature) implements Step {}

    /** {@code argsJson} is sent verbatim, split into several argument deltas (it may be malformed on purpose). */
    record ToolCall(String id, String name, String argsJson) implements Step {}

    static Step text(String text) { return new Text(text); }

    static Step reasoning(String text) { return new Reasoning(text, "sig-" + Integer.toHexString(text.hashCode())); }

    static Step toolCall(String id, String name, String argsJson) { return new ToolCall(id, name, argsJson); }
}
