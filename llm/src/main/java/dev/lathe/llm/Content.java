package dev.lathe.llm;

import java.util.Optional;

/** One block of a message in a request. Which kinds a role may hold: see {@link LlmMessage}. */
public sealed interface Content {
    record Text(String text) implements Content {}

    /** Base64 data of an image (or a PDF, {@link #isPdf}) from the user or a tool; each protocol sends it its own way. */
    record Image(String mime, String base64) implements Content {
        public boolean isPdf() { return mime.equals("application/pdf"); }
    }

    /** Reasoning from an earlier response; {@code signature} is the provider's opaque state to send back. */
    record Reasoning(String text, Optional<String> signature) implements Content {}

    /** {@code signature}: opaque provider state that came with the call and goes back with it (Gemini). */
    record ToolCall(String callId, String name, String argsJson, Optional<String> signature) implements Content {
        public ToolCall(String callId, String name, String argsJson) { this(callId, name, argsJson, Optional.empty()); }
    }

    record ToolResult(String callId, String name, String output, boolean isError) implements Content {}
}
