package dev.lathe.core.acpagent;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What the agent streamed in a {@code session/update} that Lathe stores: text it said, its reasoning, a tool call's
 * start or change. Updates Lathe has no place for (plans, available commands, modes, usage of the window) are
 * {@link Other}.
 */
public sealed interface AgentUpdate {
    record Said(String text) implements AgentUpdate {}

    record Thought(String text) implements AgentUpdate {}

    /** {@code call} carries what this update sets; {@code started}: a {@code tool_call} (not an update of one). */
    record Call(AgentToolCall call, boolean started) implements AgentUpdate {}

    record Other(String kind) implements AgentUpdate {}

    /** Reads the {@code update} of a {@code session/update} notification. */
    static AgentUpdate of(JsonNode update) {
        String kind = update.path("sessionUpdate").asString("");
        return switch (kind) {
            case "agent_message_chunk" -> text(update).<AgentUpdate>map(Said::new).orElse(new Other(kind));
            case "agent_thought_chunk" -> text(update).<AgentUpdate>map(Thought::new).orElse(new Other(kind));
            case "tool_call" -> new Call(AgentToolCall.of(update), true);
            case "tool_call_update" -> new Call(AgentToolCall.of(update), false);
            default -> new Other(kind);
        };
    }

    private static Optional<String> text(JsonNode update) {
        JsonNode content = update.path("content");
        return content.path("type").asString("").equals("text") ? Optional.of(content.path("text").asString("")) : Optional.empty();
    }
}
