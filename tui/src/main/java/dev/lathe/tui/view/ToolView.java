package dev.lathe.tui.view;

import dev.lathe.protocol.session.Part;
import dev.lathe.protocol.session.ToolDisplay;
import dev.lathe.protocol.session.ToolRejection;
import dev.lathe.protocol.session.ToolState;
import dev.lathe.tui.render.DiffView;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * A tool call as one line — state mark, tool name, what it is about — and below it what matters for that tool:
 * the diff of an edit, the live tail of a running command, the error of a failed call, and with details on
 * (Ctrl-O) the whole output. What kind of call it is comes from the typed display data the tool returned
 * ({@link ToolDisplay}), never from its name, so a tool from outside the built-in set is shown as a built-in is.
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
    private final DiagnosticsView diagnostics;
    /** Output lines shown under a call with details on. */
    private final int detailLines;

    /** What a call waits for when an open ask holds it, by call id; empty for a call no ask holds. */
    private final Function<String, Optional<String>> waitingOn;

    /** For views that know no asks: no call is held. */
    static final Function<String, Optional<String>> NOT_HELD = callId -> Optional.empty();

    /** What auto-approval's classifier decided about a call, shown under it. */
    private final AutoVerdicts.Lookup autos;

    ToolView(Theme theme) { this(theme, DETAIL_LINES, NOT_HELD, AutoVerdicts.NONE); }

    ToolView(Theme theme, int detailLines, Function<String, Optional<String>> waitingOn, AutoVerdicts.Lookup autos) {
        this.autos = autos;
        this.theme = theme;
        this.diffs = new DiffView(theme);
        this.diagnostics = new DiagnosticsView(theme);
        this.detailLines = detailLines;
        this.waitingOn = waitingOn;
    }

    List<AttributedString> render(Part.Tool tool, int width, boolean details, int spinnerFrame) {
        var out = new ArrayList<AttributedString>();
        ToolState state = tool.state();
        var head = new AttributedStringBuilder();
        // a call an open ask holds is not running yet: it waits for the user, and says so instead of spinning
        Optional<String> waiting = state instanceof ToolState.Running ? waitingOn.apply(tool.callId()) : Optional.empty();
        switch (state) {
            case ToolState.Pending _ -> head.styled(theme.style(Role.TOOL_PENDING), "○ ");
            case ToolState.Running _ when waiting.isPresent() -> head.styled(theme.style(Role.WARNING), "? ");
            case ToolState.Running _ -> head.styled(theme.style(Role.TOOL_RUNNING), Spinner.frame(spinnerFrame) + " ");
            case ToolState.Completed c when failedCommand(c).isPresent() -> head.styled(theme.style(Role.TOOL_FAILED), "✗ ");
            // a background task's call ends at its start: the task runs on, so no ✓ (its result comes as a message)
            case ToolState.Completed c when startedInBackground(c) -> head.styled(theme.style(Role.ACCENT), "◆ ");
            case ToolState.Completed _ -> head.styled(theme.style(Role.TOOL_DONE), "✓ ");
            // a call the user said no to is their decision, not a failure: a neutral mark
            case ToolState.Failed f when f.rejection().isPresent() -> head.styled(theme.style(Role.MUTED), "⊘ ");
            case ToolState.Failed _ -> head.styled(theme.style(Role.TOOL_FAILED), "✗ ");
        }
        // a command the user typed (!cmd) is theirs, not the agent's: it says so where the agent's would name its tool
        head.styled(theme.style(tool.typedByUser() ? Role.ACCENT : Role.STRONG), tool.typedByUser() ? "you ran" : tool.tool());
        if (state.display().orElse(null) instanceof ToolDisplay.SubagentRun run) {
            // a subagent: its name and the task's description; the child session opens from /sessions
            String agent = ToolSummary.oneLine(run.agent());
            if (!agent.isEmpty()) head.append(" ").styled(theme.style(Role.ACCENT), "@" + agent);
            String description = ToolSummary.oneLine(run.description());
            if (!description.isEmpty()) head.append(" ").styled(theme.style(Role.MUTED), description);
            if (run.continuation() == ToolDisplay.SubagentRun.Continuation.CONTINUED) head.styled(theme.style(Role.MUTED), " (continued)");
            if (state instanceof ToolState.Completed c && startedInBackground(c)) {
                head.styled(theme.style(Role.ACCENT), " · in the background").styled(theme.style(Role.MUTED), " (its result comes as a message; /agents)");
            }
            // one that ran in a worktree of its own: the branch its changes wait on, as a session's line names its worktree
            if (state instanceof ToolState.Completed c && c.metadata().containsKey("branch")) {
                head.styled(theme.style(Role.MUTED), " · on branch ").styled(theme.style(Role.ACCENT), ToolSummary.oneLine(c.metadata().get("branch")));
            }
        } else {
            String summary = ToolSummary.of(tool.tool(), state);
            if (!summary.isEmpty()) head.append(" ").styled(theme.style(Role.MUTED), summary);
        }
        waiting.ifPresent(w -> head.styled(theme.style(Role.WARNING), " · " + w));
        if (state instanceof ToolState.Running r) {
            // how far a long call has got, as its tool reports it (an MCP server's progress)
            r.progress().ifPresent(p -> head.styled(theme.style(Role.ACCENT), " · " + ToolSummary.oneLine(p.text())));
        }
        if (state instanceof ToolState.Completed c) {
            failedCommand(c).ifPresent(why -> head.styled(theme.style(Role.ERROR), " · " + why));
            if (c.endedAt() > c.startedAt() && c.endedAt() - c.startedAt() >= 1000) head.styled(theme.style(Role.MUTED), " · " + seconds(c.endedAt() - c.startedAt()));
        }
        out.add(Wrap.truncate(head.toAttributedString(), width));
        // the transcript view (Ctrl+O) shows the classifier's whole reason; the inline one its first line
        autos.of(tool.callId()).ifPresent(e -> out.addAll(AutoVerdicts.lines(theme, e, width, detailLines == Integer.MAX_VALUE)));
        switch (state) {
            case ToolState.Pending _ -> { }
            case ToolState.Running r -> {
                if (r.output() != null && !r.output().isBlank()) out.addAll(tail(r.output(), width, details ? detailLines : LIVE_LINES));
            }
            case ToolState.Completed c -> out.addAll(completed(c, width, details));
            case ToolState.Failed f when f.rejection().isPresent() -> out.addAll(indent(Wrap.lines(theme.paint(Role.MUTED, rejected(f.rejection().get())),
                    width - 2), details ? detailLines : 4));
            case ToolState.Failed f -> out.addAll(indent(Wrap.lines(theme.paint(Role.ERROR, f.error().strip()), width - 2), details ? detailLines : 4));
        }
        return out;
    }

    /** A {@code task} call that started a background task (DESIGN §18: its result's first line says so) and returned. */
    static boolean startedInBackground(ToolState.Completed c) {
        return c.display().orElse(null) instanceof ToolDisplay.SubagentRun && c.output().startsWith(BACKGROUND_STARTED);
    }

    /** The first words of a background task's start (TaskTool's, DESIGN §18). */
    private static final String BACKGROUND_STARTED = "started background task ";

    /**
     * "Rejected by you", with what the user told the agent when they did; for a denial (DESIGN §26), "Denied by RULE
     * (FILE)" or "Denied: nobody could answer its ask" — the model read it and went on.
     */
    static String rejected(ToolRejection r) {
        return switch (r.by()) {
            case USER -> r.message().map(m -> "Rejected by you: " + m.strip()).orElse("Rejected by you");
            case RULE -> "Denied by " + r.rule().orElse("a deny rule") + r.source().map(s -> " (" + s + ")").orElse("");
            case UNATTENDED -> "Denied: nobody could answer its ask (permission.unattended)";
        };
    }

    /** What a finished call shows, then the problems the language servers found in what it changed (DESIGN §18). */
    private List<AttributedString> completed(ToolState.Completed c, int width, boolean details) {
        var out = new ArrayList<AttributedString>(result(c, width, details));
        out.addAll(diagnostics.render(c.output(), width, details ? detailLines : DiagnosticsView.SHOWN));
        return out;
    }

    private List<AttributedString> result(ToolState.Completed c, int width, boolean details) {
        Optional<ToolDisplay> display = c.display();
        if (display.orElse(null) instanceof ToolDisplay.FileChange change && !change.diff().isBlank()) {
            return indent(diffs.render(change.diff(), width - 2, details ? detailLines : DIFF_LINES), Integer.MAX_VALUE);
        }
        String output = display.orElse(null) instanceof ToolDisplay.SubagentRun run ? run.report().strip()
                : c.output() == null ? "" : trimmed(DiagnosticsView.without(c.output()));
        if (output.isEmpty()) return List.of();
        boolean preview = display.map(ToolView::previewsOutput).orElse(false) || details;
        if (!preview) {
            int lines = linesRead(c).orElse((int) output.lines().count());
            return List.of(indentOne(theme.paint(Role.MUTED, lines + (lines == 1 ? " line" : " lines") + " (ctrl+o for details)")));
        }
        return head(output, width, details ? detailLines : PREVIEW_LINES);
    }

    /** The first {@code max} lines of {@code text}, dimmed, then how many more there are. */
    private List<AttributedString> head(String text, int width, int max) {
        List<String> lines = text.lines().toList();
        var out = new ArrayList<AttributedString>();
        for (int i = 0; i < Math.min(max, lines.size()); i++) out.add(indentOne(Wrap.truncate(theme.paint(Role.MUTED, tabs(lines.get(i))), width - 2)));
        if (lines.size() > max) out.add(indentOne(theme.paint(Role.MUTED, "… +" + Footer.count(lines.size() - max, "line", "lines") + " (ctrl+o for details)")));
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
        if (lines.size() > max) out.add(indentOne(theme.paint(Role.MUTED, "… +" + Footer.count(lines.size() - max, "line", "lines"))));
        return out;
    }

    private AttributedString indentOne(AttributedString line) {
        return AttributedString.join(AttributedString.EMPTY, theme.paint(Role.BORDER, "  "), line);
    }

    /**
     * {@code text} without its blank lines at either end: the first line keeps its own indentation (strip() took a
     * numbered read's padding from line 1 only, and put it out of line with the rest).
     */
    private static String trimmed(String text) {
        String out = text.stripTrailing();
        int start = 0;
        for (int i = 0; i < out.length() && Character.isWhitespace(out.charAt(i)); i++) {
            if (out.charAt(i) == '\n') start = i + 1;
        }
        return out.substring(start);
    }

    /**
     * How many lines of the file a read showed, as the read tool counted them ({@code lines} of its metadata): its
     * output also holds a blank line and the line that says where the file ends, which are not the file's.
     */
    private static Optional<Integer> linesRead(ToolState.Completed c) {
        if (!(c.display().orElse(null) instanceof ToolDisplay.FileRead)) return Optional.empty();
        String lines = c.metadata() == null ? null : c.metadata().get("lines");
        return lines != null && lines.matches("\\d{1,9}") ? Optional.of(Integer.parseInt(lines)) : Optional.empty();
    }

    /**
     * Whether a finished call's output is worth a few lines under it: what a command printed, a subagent reported or a
     * page said is; a file read or an edit without a diff is summed up as a line count.
     */
    private static boolean previewsOutput(ToolDisplay display) {
        return switch (display) {
            case ToolDisplay.CommandRun _, ToolDisplay.SubagentRun _, ToolDisplay.WebPage _ -> true;
            case ToolDisplay.FileChange _, ToolDisplay.FileRead _ -> false;
        };
    }

    /**
     * Why a command that ran to its end failed: a non-zero exit code, or the time limit. The call itself completed (the
     * model gets the output), but what the user asked for did not work, so it is not shown as a success.
     */
    static Optional<String> failedCommand(ToolState.Completed c) {
        if (!(c.display().orElse(null) instanceof ToolDisplay.CommandRun run)) return Optional.empty();
        if (run.timedOut()) return Optional.of("timed out");
        return run.exitCode().filter(code -> code != 0).map(code -> "exit " + code);
    }

    /**
     * {@code line} with each tab expanded to the next tab stop (every {@link #TAB_STOP} columns), as an editor shows it: a
     * tab replaced by a fixed four spaces put a tab after two spaces four columns further than one after none, and a
     * numbered read's columns out of line with its text's own indentation.
     */
    static String tabs(String line) {
        if (line.indexOf('\t') < 0 && line.indexOf('\r') < 0) return line;
        var out = new StringBuilder(line.length() + 8);
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '\t') {
                do out.append(' '); while (out.length() % TAB_STOP != 0);
            } else if (ch != '\r') out.append(ch);
        }
        return out.toString();
    }

    /** The columns between two tab stops. */
    static final int TAB_STOP = 4;

    static String seconds(long millis) {
        return millis < 60_000 ? String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0)
                : (millis / 60_000) + "m " + (millis / 1000 % 60) + "s";
    }
}
