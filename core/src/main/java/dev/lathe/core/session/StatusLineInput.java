package dev.lathe.core.session;

import dev.lathe.protocol.api.MessageUsage;
import dev.lathe.protocol.api.SessionUsage;
import dev.lathe.protocol.session.Session;
import java.nio.file.Path;
import java.util.OptionalInt;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON a status line command reads on stdin, in Claude Code's shape and field names (its status line
 * documentation), so a script written for Claude Code runs unchanged: {@code session_id}, {@code cwd}, {@code model}
 * ({@code id}, {@code display_name}), {@code workspace} ({@code current_dir}, {@code project_dir}), {@code cost}
 * ({@code total_cost_usd}) and {@code context_window} (the session's tokens, the model's window and how much of it
 * the last request used). {@code rate_limits} is left out: Lathe does not know a plan's quota yet.
 */
final class StatusLineInput {
    private StatusLineInput() {}

    /** @param window the model's context window in tokens, when the model is known */
    static String of(Session session, Path projectDir, SessionUsage usage, OptionalInt window) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("hook_event_name", "Status");
        root.put("session_id", session.id().value());
        root.put("cwd", session.directory());
        root.putObject("model").put("id", session.model()).put("display_name", session.model());
        root.putObject("workspace").put("current_dir", session.directory()).put("project_dir", projectDir.toString());
        ObjectNode cost = root.putObject("cost");
        cost.put("total_cost_usd", usage.cost() / 1_000_000.0);
        ObjectNode context = root.putObject("context_window");
        context.put("total_input_tokens", usage.usage().input() + usage.usage().cacheRead() + usage.usage().cacheWrite());
        context.put("total_output_tokens", usage.usage().output());
        // what the last request sent is what fills the window now
        long last = usage.messages().isEmpty() ? 0 : sent(usage.messages().getLast());
        if (window.isPresent() && window.getAsInt() > 0) {
            context.put("context_window_size", window.getAsInt());
            int used = (int) Math.min(100, Math.round(last * 100.0 / window.getAsInt()));
            context.put("used_percentage", used);
            context.put("remaining_percentage", 100 - used);
        }
        context.putObject("current_usage").put("input_tokens", usage.messages().isEmpty() ? 0 : usage.messages().getLast().usage().input())
                .put("output_tokens", usage.messages().isEmpty() ? 0 : usage.messages().getLast().usage().output());
        return root.toString();
    }

    private static long sent(MessageUsage message) {
        return message.usage().input() + message.usage().cacheRead() + message.usage().cacheWrite();
    }
}
