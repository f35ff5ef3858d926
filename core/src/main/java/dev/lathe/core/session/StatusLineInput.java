package dev.lathe.core.session;

import dev.lathe.protocol.Version;
import dev.lathe.protocol.api.MessageUsage;
import dev.lathe.protocol.api.MessageWithParts;
import dev.lathe.protocol.api.SessionUsage;
import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.protocol.session.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON a status line command reads on stdin, in Claude Code's shape and field names (its status line
 * documentation), so a script written for Claude Code runs unchanged: {@code session_id}, {@code transcript_path},
 * {@code cwd}, {@code version}, {@code model} ({@code id}, {@code display_name}), {@code workspace}
 * ({@code current_dir}, {@code project_dir}, {@code added_dirs}), {@code output_style}, {@code cost}
 * ({@code total_cost_usd}, {@code total_duration_ms}, {@code total_lines_added}, {@code total_lines_removed}),
 * {@code exceeds_200k_tokens} and {@code context_window} (the session's tokens, the model's window and how much of it
 * the last request used). A field a script reads must never be missing: {@code jq} prints {@code null} for it (issue
 * 82: {@code +null}). Left out: {@code rate_limits} (Lathe does not know a plan's quota yet) and
 * {@code total_api_duration_ms} (the steps' times are not kept). Lathe keeps no transcript file: {@code transcript_path}
 * is empty (decision 630).
 */
final class StatusLineInput {
    /** Claude Code's threshold for {@code exceeds_200k_tokens}: what the last request sent. */
    private static final long LARGE_CONTEXT = 200_000;

    private StatusLineInput() {}

    /**
     * What the session worked on, besides its usage: its history as shown (a reverted change is no longer counted), the
     * folders it may write besides the project ({@code sandbox.writable}, {@code additionalDirectories}), and now.
     */
    record Work(List<MessageWithParts> history, List<String> addedDirs, long now) {}

    /** @param window the model's context window in tokens, when the model is known */
    static String of(Session session, Path projectDir, SessionUsage usage, OptionalInt window, Work work) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("hook_event_name", "Status");
        root.put("session_id", session.id().value());
        root.put("transcript_path", "");
        root.put("cwd", session.directory());
        root.put("version", Version.current());
        root.putObject("model").put("id", session.model()).put("display_name", session.model());
        ObjectNode workspace = root.putObject("workspace").put("current_dir", session.directory()).put("project_dir", projectDir.toString());
        var added = workspace.putArray("added_dirs");
        work.addedDirs().forEach(added::add);
        root.putObject("output_style").put("name", "default");
        ObjectNode cost = root.putObject("cost");
        cost.put("total_cost_usd", usage.cost() / 1_000_000.0);
        cost.put("total_duration_ms", Math.max(0, work.now() - session.createdAt()));
        Lines lines = Lines.of(work.history());
        cost.put("total_lines_added", lines.added());
        cost.put("total_lines_removed", lines.removed());
        // what the last request sent is what fills the window now
        long last = usage.messages().isEmpty() ? 0 : sent(usage.messages().getLast());
        root.put("exceeds_200k_tokens", last > LARGE_CONTEXT);
        ObjectNode context = root.putObject("context_window");
        context.put("total_input_tokens", usage.usage().input() + usage.usage().cacheRead() + usage.usage().cacheWrite());
        context.put("total_output_tokens", usage.usage().output());
        if (window.isPresent() && window.getAsInt() > 0) {
            context.put("context_window_size", window.getAsInt());
            int used = (int) Math.min(100, Math.round(last * 100.0 / window.getAsInt()));
            context.put("used_percentage", used);
            context.put("remaining_percentage", 100 - used);
        }
        var lastUsage = usage.messages().isEmpty() ? Usage.ZERO : usage.messages().getLast().usage();
        context.putObject("current_usage").put("input_tokens", lastUsage.input()).put("output_tokens", lastUsage.output())
                .put("cache_creation_input_tokens", lastUsage.cacheWrite()).put("cache_read_input_tokens", lastUsage.cacheRead());
        return root.toString();
    }

    private static long sent(MessageUsage message) {
        return message.usage().input() + message.usage().cacheRead() + message.usage().cacheWrite();
    }

    /**
     * The folders besides the project a session may write, as the sandbox resolves {@code sandbox.writable} (with
     * {@code additionalDirectories}): relative ones against the project, {@code ~/} against the user's home.
     */
    static List<String> addedDirs(Path project, List<String> writable) {
        return writable.stream().map(w -> project.resolve(w.startsWith("~/") ? System.getProperty("user.home") + w.substring(1) : w).normalize().toString())
                .toList();
    }

    /** Lines added and removed by the session's finished calls that changed files, from their diffs. */
    private record Lines(long added, long removed) {
        static Lines of(List<MessageWithParts> history) {
            long added = 0;
            long removed = 0;
            for (MessageWithParts m : history) {
                for (Part p : m.parts()) {
                    if (!(p instanceof Part.Tool t) || !(t.state() instanceof ToolState.Completed done)) continue;
                    if (!(done.display().orElse(null) instanceof ToolDisplay.FileChange change)) continue;
                    for (String line : change.diff().split("\n", -1)) {
                        // the file headers (+++ b/x, --- a/x) are no lines of the file
                        if (line.startsWith("+") && !line.startsWith("+++ ")) added++;
                        else if (line.startsWith("-") && !line.startsWith("--- ")) removed++;
                    }
                }
            }
            return new Lines(added, removed);
        }
    }
}
