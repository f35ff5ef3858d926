package dev.lathe.llm;

import java.util.Objects;
import java.util.Optional;

/**
 * One block of a message in a request. Which kinds a role may hold: see {@link LlmMessage}.
 *
 * <p>Equality and hash codes are written out rather than left to the record's generated ones: blocks are the keys of
 * the encoded-request cache, compared at every step for the whole history, and the generated methods (a chain of
 * method handles) are not inlined by C1, which is all a lathe JVM compiles with (decision 56). Same meaning: every
 * component, compared as the generated ones compare them (nulls included).
 */
public sealed interface Content {
    record Text(String text) implements Content {
        @Override
        public boolean equals(Object o) { return this == o || o instanceof Text t && Objects.equals(text, t.text); }

        @Override
        public int hashCode() { return Objects.hashCode(text); }
    }

    /** Base64 data of an image (or a PDF, {@link #isPdf}) from the user or a tool; each protocol sends it its own way. */
    record Image(String mime, String base64) implements Content {
        public boolean isPdf() { return mime.equals("application/pdf"); }

        @Override
        public boolean equals(Object o) { return this == o || o instanceof Image i && Objects.equals(mime, i.mime) && Objects.equals(base64, i.base64); }

        @Override
        public int hashCode() { return 31 * Objects.hashCode(mime) + Objects.hashCode(base64); }
    }

    /** Reasoning from an earlier response; {@code signature} is the provider's opaque state to send back. */
    record Reasoning(String text, Optional<String> signature) implements Content {
        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof Reasoning r && Objects.equals(text, r.text) && Objects.equals(signature, r.signature);
        }

        @Override
        public int hashCode() { return 31 * Objects.hashCode(text) + Objects.hashCode(signature); }
    }

    /** {@code signature}: opaque provider state that came with the call and goes back with it (Gemini). */
    record ToolCall(String callId, String name, String argsJson, Optional<String> signature) implements Content {
        public ToolCall(String callId, String name, String argsJson) { this(callId, name, argsJson, Optional.empty()); }

        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof ToolCall c && Objects.equals(callId, c.callId) && Objects.equals(name, c.name) && Objects.equals(argsJson, c.argsJson)
                    && Objects.equals(signature, c.signature);
        }

        @Override
        public int hashCode() { return ((Objects.hashCode(callId) * 31 + Objects.hashCode(name)) * 31 + Objects.hashCode(argsJson)) * 31 + Objects.hashCode(signature); }
    }

    record ToolResult(String callId, String name, String output, boolean isError) implements Content {
        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof ToolResult r && isError == r.isError && Objects.equals(callId, r.callId) && Objects.equals(name, r.name)
                    && Objects.equals(output, r.output);
        }

        @Override
        public int hashCode() { return ((Objects.hashCode(callId) * 31 + Objects.hashCode(name)) * 31 + Objects.hashCode(output)) * 31 + Boolean.hashCode(isError); }
    }
}
