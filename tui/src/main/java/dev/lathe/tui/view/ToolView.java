package dev.lathe.tui.view;

import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tui.render.DiffView;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * A tool call as one line — state mark, tool name, what it is about — and below it what matters for that tool:
 * the diff of an edit, the live tail of a running command, the error of a failed call, and with details on
 * (Ctrl-O) the whole output.
 */
final class ToolView {
    /** Output lines shown under a finished call while details are off. */
    static final int PREVIEW_LINES = 3;
    /** Lines of a running command's output shown live. */
    static final int LIVE_LINES = 5;
    static final int DIFF_LINES = 24;
    static final int DETAIL_LINES = 200;

    private final Theme theme;
    private final DiffView diffs;

    ToolView(Theme theme) {
        this.theme = theme;
        this.diffs = new DiffView(theme);
    }

    List<AttributedString> render(Part.Tool tool, int width, boolean details, int spinnerFrame) {
        var out = new ArrayList<AttributedString>();
        ToolState state = tool.state();
        var head = new AttributedStringBuilder();
        switch (state) {
            case ToolState.Pending _ -> head.styled(theme.style(Role.TOOL_PENDING), "○ ");
            case ToolState.Running _ -> head.styled(theme.style(Role.TOOL_RUNNING), Spinner.frame(spinnerFrame) + " ");
            case ToolState.Completed _ -> head.styled(theme.style(Role.TOOL_DONE), "✓ ");
            case ToolState.Failed _ -> head.styled(theme.style(Role.TOOL_FAILED), "✗ ");
        }
        head.styled(theme.style(Role.STRONG), tool.tool());
        if (tool.tool().equals("task")) {
            // a subagent: its name and the task's description; the child session opens from /sessions
            String agent = ToolSummary.argument(state.input(), "agent");
            if (!agent.isEmpty()) head.append(" ").styled(theme.style(Role.ACCENT), "@" + agent);
            String description = ToolSummary.argument(state.input(), "description");
            if (!description.isEmpty()) head.append(" ").styled(theme.style(Role.MUTED), description);
            if (ToolSummary.argument(state.input(), "taskId").length() > 0) head.styled(theme.style(Role.MUTED), " (continued)");
        } else {
            String summary = ToolSummary.of(tool.tool(), state);
            if (!summary.isEmpty()) head.append(" ").styled(theme.style(Role.MUTED), summary);
        }
        if (state instanceof ToolState.Completed c && c.endedAt() > c.startedAt() && c.endedAt() - c.startedAt() >= 1000) {
            head.styled(theme.style(Role.MUTED), " · " + seconds(c.endedAt() - c.startedAt()));
        }
        out.add(Wrap.truncate(head.toAttributedString(), width));
        switch (state) {
            case ToolState.Pending _ -> { }
            case ToolState.Running r -> {
                if (r.output() != null && !r.output().isBlank()) out.addAll(tail(r.output(), width, details ? DETAIL_LINES : LIVE_LINES));
            }
            case ToolState.Completed c -> out.addAll(completed(tool.tool(), c, width, details));
            case ToolState.Failed f -> out.addAll(indent(Wrap.lines(theme.paint(Role.ERROR, f.error().strip()), width - 2), details ? DETAIL_LINES : 4));
        }
        return out;
    }

    private List<AttributedString> completed(String tool, ToolState.Completed c, int width, boolean details) {
        String diff = c.metadata() == null ? null : c.metadata().get("diff");
        if (diff != null && !diff.isBlank()) {
            return indent(diffs.render(diff, width - 2, details ? DETAIL_LINES : DIFF_LINES), Integer.MAX_VALUE);
        }
        String output = c.output() == null ? "" : c.output().strip();
        if (tool.equals("task")) output = taskResult(output);
        if (output.isEmpty()) return List.of();
        boolean preview = tool.equals("bash") || tool.equals("task") || tool.equals("webfetch") || details;
        if (!preview) {
            int lines = (int) output.lines().count();
            return List.of(indentOne(theme.paint(Role.MUTED, lines + (lines == 1 ? " line" : " lines") + " (ctrl+o for details)")));
        }
        return head(output, width, details ? DETAIL_LINES : PREVIEW_LINES);
    }

    /** The first {@code max} lines of {@code text}, dimmed, then how many more there are. */
    private List<AttributedString> head(String text, int width, int max) {
        List<String> lines = text.lines().toList();
        var out = new ArrayList<AttributedString>();
        for (int i = 0; i < Math.min(max, lines.size()); i++) out.add(indentOne(Wrap.truncate(theme.paint(Role.MUTED, tabs(lines.get(i))), width - 2)));
        if (lines.size() > max) out.add(indentOne(theme.paint(Role.MUTED, "… +" + (lines.size() - max) + " lines (ctrl+o for details)")));
        return out;
    }

    /** The last {@code max} lines of {@code text}: a running command's newest output. */
    private List<AttributedString> tail(String text, int width, int max) {
        List<String> lines = text.stripTrailing().lines().toList();
        var out = new ArrayList<AttributedString>();
        if (lines.size() > max) out.add(indentOne(theme.paint(Role.MUTED, "… " + (lines.size() - max) + " earlier lines")));
        for (int i = Math.max(0, lines.size() - max); i < lines.size(); i++) {
            out.add(indentOne(Wrap.truncate(theme.paint(Role.MUTED, tabs(lines.get(i))), width - 2)));
        }
        return out;
    }

    private List<AttributedString> indent(List<AttributedString> lines, int max) {
        var out = new ArrayList<AttributedString>();
        for (int i = 0; i < Math.min(max, lines.size()); i++) out.add(indentOne(lines.get(i)));
        if (lines.size() > max) out.add(indentOne(theme.paint(Role.MUTED, "… +" + (lines.size() - max) + " lines")));
        return out;
    }

    private AttributedString indentOne(AttributedString line) {
        return AttributedString.join(AttributedString.EMPTY, theme.paint(Role.BORDER, "  "), line);
    }

    /** What a subagent reported, without the {@code taskId} line and the tags around it meant for the model. */
    static String taskResult(String output) {
        int start = output.indexOf("<task_result>");
        int end = output.lastIndexOf("</task_result>");
        return start >= 0 && end > start ? output.substring(start + "<task_result>".length(), end).strip() : output;
    }

    private static String tabs(String line) { return line.replace("\t", "    ").replace("\r", ""); }

    static String seconds(long millis) {
        return millis < 60_000 ? String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0)
                : (millis / 60_000) + "m " + (millis / 1000 % 60) + "s";
    }
}
