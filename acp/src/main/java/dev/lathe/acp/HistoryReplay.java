package dev.lathe.acp;

import dev.lathe.jsonrpc.Json;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Todo;
import dev.lathe.protocol.session.UserMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code session/load}: the whole conversation sent to the editor as the updates it would have seen live, before the
 * load is answered (as ACP asks): what the user typed (never Lathe's synthetic notes), the answers and reasoning, each
 * tool call in its final state with its diff, then the todo list as the plan.
 */
final class HistoryReplay {
    private HistoryReplay() {}

    static List<ObjectNode> of(List<MessageWithParts> history, List<Todo> todos, Path directory) {
        var updates = new ArrayList<ObjectNode>();
        for (MessageWithParts message : history) {
            boolean user = message.info() instanceof UserMessage;
            for (Part part : message.parts()) {
                switch (part) {
                    case Part.Text t when !t.synthetic() && !t.text().isEmpty() ->
                            updates.add(chunk(user ? "user_message_chunk" : "agent_message_chunk", t.text()));
                    case Part.Reasoning r when !r.text().isEmpty() -> updates.add(chunk("agent_thought_chunk", r.text()));
                    case Part.Tool tool -> updates.add(SessionFeed.update("tool_call").setAll(ToolCalls.of(tool, directory)));
                    default -> { }
                }
            }
        }
        if (!todos.isEmpty()) updates.add(SessionFeed.plan(todos));
        return updates;
    }

    private static ObjectNode chunk(String kind, String text) {
        ObjectNode update = SessionFeed.update(kind);
        update.set("content", Json.object().put("type", "text").put("text", text));
        return update;
    }
}
