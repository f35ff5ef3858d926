package dev.lathe.core.acpagent;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What the agent streamed in a {@code session/update} that Lathe stores: text it said, its reasoning, a tool call's
 * start or change, its plan (the session's todo list). Updates Lathe has no place for (available commands, modes,
 * usage of the window) are {@link Other}.
 */
public sealed interface AgentUpdate {
    record Said(String text) implements AgentUpdate {}

    record Thought(String text) implements AgentUpdate {}

    /** {@code call} carries what this update sets; {@code started}: a {@code tool_call} (not an update of one). */
    record Call(AgentToolCall call, boolean started) implements AgentUpdate {}

    /** The agent's whole plan now (ACP sends it whole each time): the session's todo list. */
    record Plan(java.util.List<dev.lathe.protocol.session.Todo> todos) implements AgentUpdate {}

    record Other(String kind) implements AgentUpdate {}

    /** Reads the {@code update} of a {@code session/update} notification. */
    static AgentUpdate of(JsonNode update) {
        String kind = update.path("sessionUpdate").asString("");
        return switch (kind) {
            case "agent_message_chunk" -> text(update).<AgentUpdate>map(Said::new).orElse(new Other(kind));
            case "agent_thought_chunk" -> text(update).<AgentUpdate>map(Thought::new).orElse(new Other(kind));
            case "tool_call" -> new Call(AgentToolCall.of(update), true);
            case "tool_call_update" -> new Call(AgentToolCall.of(update), false);
            case "plan" -> new Plan(plan(update));
            default -> new Other(kind);
        };
    }

    /** ACP plan entries as todos: an unknown status is pending, an unknown priority medium, an empty entry left out. */
    private static java.util.List<dev.lathe.protocol.session.Todo> plan(JsonNode update) {
        var out = new java.util.ArrayList<dev.lathe.protocol.session.Todo>();
        for (JsonNode e : update.path("entries")) {
            String content = e.path("content").asString("");
            if (content.isBlank()) continue;
            var status = switch (e.path("status").asString("")) {
                case "in_progress" -> dev.lathe.protocol.session.Todo.Status.IN_PROGRESS;
                case "completed" -> dev.lathe.protocol.session.Todo.Status.COMPLETED;
                default -> dev.lathe.protocol.session.Todo.Status.PENDING;
            };
            var priority = switch (e.path("priority").asString("")) {
                case "high" -> dev.lathe.protocol.session.Todo.Priority.HIGH;
                case "low" -> dev.lathe.protocol.session.Todo.Priority.LOW;
                default -> dev.lathe.protocol.session.Todo.Priority.MEDIUM;
            };
            out.add(new dev.lathe.protocol.session.Todo(content, status, priority));
        }
        return out;
    }

    private static Optional<String> text(JsonNode update) {
        JsonNode content = update.path("content");
        return content.path("type").asString("").equals("text") ? Optional.of(content.path("text").asString("")) : Optional.empty();
    }
}
