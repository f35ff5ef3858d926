package dev.lathe.core.acpagent;

import dev.lathe.protocol.RawJson;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tools.builtin.LineDiff;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An agent's tool call as a Lathe tool part's state, shown as Lathe's own tools are: a call that shows file changes
 * carries a {@link ToolDisplay.FileChange} with the unified diff (and {@code path}/{@code diff} metadata, as the edit
 * tool's), paths relative to the project when inside it. ACP's {@code pending} is pending, {@code in_progress} running,
 * {@code completed} and {@code failed} as they say.
 */
public final class AgentToolStates {
    private AgentToolStates() {}

    /** The part's tool name: the agent's own name for the tool, else its ACP kind. */
    public static String toolName(AgentToolCall call) {
        return call.name().or(call::kind).filter(n -> !n.isBlank()).orElse("tool");
    }

    /** The call's state now; {@code startedAt} when Lathe first heard of it, {@code now} the time of this update. */
    public static ToolState state(AgentToolCall call, Path root, long startedAt, long now) {
        RawJson input = call.input().map(AgentToolCall.Input::json).orElse(RawJson.EMPTY_OBJECT);
        String title = call.title().orElse(toolName(call));
        Optional<ToolDisplay> display = display(call, root);
        String output = output(call);
        return switch (call.status().orElse("pending")) {
            case "completed" -> new ToolState.Completed(input, output, title, metadata(call, root), startedAt, now, List.of(), display);
            case "failed" -> new ToolState.Failed(input, output.isBlank() ? "the agent reported the call as failed" : output, startedAt, now, display);
            case "in_progress" -> new ToolState.Running(input, title, startedAt, output, display);
            default -> new ToolState.Pending(input);
        };
    }

    /** What the call said it produced: its text content, else its raw output. */
    static String output(AgentToolCall call) {
        if (call.text().filter(t -> !t.isBlank()).isPresent()) return call.text().get();
        return call.output().orElse("");
    }

    /** The file changes the call shows, as one unified diff over every file. */
    static Optional<ToolDisplay> display(AgentToolCall call, Path root) {
        if (call.diffs().isEmpty()) return Optional.empty();
        List<String> files = new ArrayList<>();
        var diff = new StringBuilder();
        for (AgentToolCall.Diff d : call.diffs()) {
            String shown = shown(d.path(), root);
            files.add(shown);
            diff.append(LineDiff.unified(shown, d.oldText().orElse(""), d.newText()));
        }
        return Optional.of(new ToolDisplay.FileChange(files, diff.toString()));
    }

    private static Map<String, String> metadata(AgentToolCall call, Path root) {
        Map<String, String> out = new LinkedHashMap<>();
        call.kind().ifPresent(k -> out.put("kind", k));
        if (call.diffs().isEmpty() && !call.locations().isEmpty()) out.put("path", shown(call.locations().getFirst(), root));
        display(call, root).ifPresent(d -> {
            var change = (ToolDisplay.FileChange) d;
            out.put("path", change.files().getFirst());
            out.put("diff", change.diff());
        });
        return out;
    }

    /** {@code path} relative to the project with {@code /} when inside it, as Lathe's tools show paths; absolute otherwise. */
    public static String shown(String path, Path root) {
        try {
            Path p = Path.of(path);
            if (!p.isAbsolute()) return path.replace('\\', '/');
            Path normal = p.normalize();
            return normal.startsWith(root) ? root.relativize(normal).toString().replace('\\', '/') : normal.toString();
        } catch (java.nio.file.InvalidPathException e) {
            return path;
        }
    }
}
