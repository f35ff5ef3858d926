package dev.lathe.llm;

import java.util.List;
import java.util.Objects;

/**
 * One conversation turn in a request. A user message holds text, images and tool results (results answer the
 * calls of the assistant message before it); an assistant message holds text, reasoning and tool calls.
 */
public record LlmMessage(Role role, List<Content> content) {
    public enum Role { USER, ASSISTANT }

    public static LlmMessage user(List<Content> content) { return new LlmMessage(Role.USER, content); }

    public static LlmMessage assistant(List<Content> content) { return new LlmMessage(Role.ASSISTANT, content); }

    /** Written out, as {@link Content}'s are: a message is a key of the encoded-request cache, looked up at every step. */
    @Override
    public boolean equals(Object o) { return this == o || o instanceof LlmMessage m && role == m.role && Objects.equals(content, m.content); }

    @Override
    public int hashCode() { return 31 * Objects.hashCode(role) + Objects.hashCode(content); }
}
