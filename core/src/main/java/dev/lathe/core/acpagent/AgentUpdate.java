package dev.lathe.core.acpagent;

import dev.lathe.protocol.session.Todo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What the agent streamed in a {@code session/update} that Lathe stores: text it said, its reasoning, a tool call's
 * start or change, its plan (the session's todo list), the mode it switched its session to ({@code current_mode_update}).
 * Updates Lathe has no place for (available commands, usage of the window) are {@link Other}.
 */
public sealed interface AgentUpdate {
    record Said(String text) implements AgentUpdate {}

    record Thought(String text) implements AgentUpdate {}

    /** {@code call} carries what this update sets; {@code started}: a {@code tool_call} (not an update of one). */
    record Call(AgentToolCall call, boolean started) implements AgentUpdate {}

    /** The agent's whole plan now (ACP sends it whole each time): the session's todo list. */
    record Plan(List<Todo> todos) implements AgentUpdate {}

    /** The agent session's mode is now {@code mode} (the agent switched it: an answer, a tool, a command). */
    record ModeChanged(String mode) implements AgentUpdate {}

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
            case "current_mode_update" -> update.path("currentModeId").isString()
                    ? new ModeChanged(update.path("currentModeId").asString()) : new Other(kind);
            default -> new Other(kind);
        };
    }

    /** ACP plan entries as todos: an unknown status is pending, an unknown priority medium, an empty entry left out. */
    private static List<Todo> plan(JsonNode update) {
        var out = new ArrayList<Todo>();
        for (JsonNode e : update.path("entries")) {
            String content = e.path("content").asString("");
            if (content.isBlank()) continue;
            var status = switch (e.path("status").asString("")) {
                case "in_progress" -> Todo.Status.IN_PROGRESS;
                case "completed" -> Todo.Status.COMPLETED;
                default -> Todo.Status.PENDING;
            };
            var priority = switch (e.path("priority").asString("")) {
                case "high" -> Todo.Priority.HIGH;
                case "low" -> Todo.Priority.LOW;
                default -> Todo.Priority.MEDIUM;
            };
            out.add(new Todo(content, status, priority));
        }
        return out;
    }

    private static Optional<String> text(JsonNode update) {
        JsonNode content = update.path("content");
        return content.path("type").asString("").equals("text") ? Optional.of(content.path("text").asString("")) : Optional.empty();
    }
}
