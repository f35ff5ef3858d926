package dev.lathe.tui.view;

import dev.lathe.protocol.session.MessageRewound;
import dev.lathe.protocol.session.PromptNotRun;
import java.util.Optional;
import java.util.function.Function;

import dev.lathe.protocol.session.Part;
import dev.lathe.tui.render.MarkdownView;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.text.Wrap;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/** Lines of one {@link Block} at a width. Blocks that show nothing (step markers) give no lines. */
public final class BlockView {
    private final Theme theme;
    private final MarkdownView markdown;
    private final ToolView tools;
    /** A prompt longer than this many rows is folded to its first {@link #PROMPT_SHOWN_ROWS} (the transcript view shows it whole). */
    private final int promptRows;

    static final int PROMPT_FOLD_ROWS = 12;
    static final int PROMPT_SHOWN_ROWS = 5;

    public BlockView(Theme theme) { this(theme, ToolView.DETAIL_LINES, ToolView.NOT_HELD, AutoVerdicts.NONE); }

    /**
     * {@code waitingOn}: what a running call waits for when an open ask holds it (by call id), shown instead of a spinner;
     * {@code autos}: what auto-approval's classifier decided about a call, a line under it.
     */
    public BlockView(Theme theme, Function<String, Optional<String>> waitingOn, AutoVerdicts.Lookup autos) {
        this(theme, ToolView.DETAIL_LINES, waitingOn, autos);
    }

    private BlockView(Theme theme, int detailLines, Function<String, Optional<String>> waitingOn, AutoVerdicts.Lookup autos) {
        this.theme = theme;
        this.markdown = new MarkdownView(theme);
        this.tools = new ToolView(theme, detailLines, waitingOn, autos);
        this.promptRows = detailLines == Integer.MAX_VALUE ? Integer.MAX_VALUE : PROMPT_FOLD_ROWS;
    }

    /** A view whose details show all of a tool's output and diff, however long: the transcript view's. */
    public static BlockView unabridged(Theme theme) { return unabridged(theme, AutoVerdicts.NONE); }

    /** As {@link #unabridged(Theme)}, with the classifier's whole reason under each call it decided. */
    public static BlockView unabridged(Theme theme, AutoVerdicts.Lookup autos) { return new BlockView(theme, Integer.MAX_VALUE, ToolView.NOT_HELD, autos); }

    public Theme theme() { return theme; }

    /**
     * @param from the characters of a streaming text block already printed (its lines are not repeated)
     * @param details whether tool output and reasoning are expanded (Ctrl-O)
     */
    public List<AttributedString> render(Block block, int width, int from, boolean details, int spinnerFrame) {
        return switch (block.kind) {
            case Block.Kind.Notice n -> n.lines().stream().flatMap(l -> Wrap.lines(l, width).stream()).toList();
            case Block.Kind.User u -> user(block, width, u.waiting());
            case Block.Kind.Assistant _ -> block.part.map(p -> assistant(block, p, width, from, details, spinnerFrame)).orElse(List.of());
        };
    }

    private List<AttributedString> user(Block block, int width, Block.Waiting waiting) {
        // a prompt an abort left not run keeps its place, and says so (issue 53)
        if (block.part.isPresent() && block.part.get() instanceof Part.Text t && t.synthetic()
                && PromptNotRun.marks(List.of(t))) {
            return List.of(Wrap.truncate(theme.paint(Role.MUTED, "  ⊘ " + t.text()), width));
        }
        // a prompt a rewind took back stays listed, and says so (docs/rewind.md)
        if (block.part.isPresent() && block.part.get() instanceof Part.Text t && t.synthetic() && MessageRewound.marks(List.of(t))) {
            return List.of(Wrap.truncate(theme.paint(Role.MUTED, "  ⏪ " + t.text()), width));
        }
        // what the server adds to a prompt (the environment, file contents) is for the model, not the transcript
        if (block.part.isPresent() && block.part.get() instanceof Part.Text t && t.synthetic()) return List.of();
        // /compact stores a user message holding only the compaction marker: it is shown as the marker, not as "› "
        if (block.part.isPresent() && block.part.get() instanceof Part.Compaction c) return compaction(c);
        if (block.part.isPresent() && block.part.get() instanceof Part.StepStart) return List.of();
        // a UserPromptSubmit hook's run sits on the prompt it ran for
        if (block.part.isPresent() && block.part.get() instanceof Part.Hook h) {
            return List.of(Wrap.truncate(theme.paint(h.misbehaved() ? Role.WARNING : Role.MUTED, h.line()), width));
        }
        String text = block.text().strip();
        if (text.isEmpty() && !(block.part.isPresent() && block.part.get() instanceof Part.File)) return List.of();
        if (block.part.isPresent() && block.part.get() instanceof Part.File f) text = "📎 " + f.name();
        var out = new ArrayList<AttributedString>();
        out.add(AttributedString.EMPTY);
        // a background task's result or a teammate's message: said where it came from, its text under it, no "› "
        AttributedString first = theme.paint(Role.USER, "› ");
        var note = block.part.isPresent() && block.part.get() instanceof Part.Text ? DeliveredNote.of(text) : Optional.<DeliveredNote>empty();
        if (note.isPresent()) {
            out.add(Wrap.truncate(theme.paint(Role.ACCENT, note.get().heading()), width));
            text = note.get().body();
            first = new AttributedString("  ");
        }
        // a big paste stays folded once sent, as it was in the input (issue 53): only its first lines reach the
        // scrollback, the model gets it whole; the text is cut before wrapping so a huge one costs no more per paint
        String[] lines = text.split("\n", -1);
        int kept = Math.min(lines.length, promptRows == Integer.MAX_VALUE ? lines.length : promptRows + 1);
        String shown = kept == lines.length ? text : String.join("\n", java.util.Arrays.asList(lines).subList(0, kept));
        var body = new AttributedStringBuilder().append(shown);
        if (kept == lines.length) body.styled(theme.style(Role.MUTED), waiting.label());
        var rows = Wrap.lines(body.toAttributedString(), width, first, new AttributedString("  "));
        int hidden = rows.size() - PROMPT_SHOWN_ROWS + (lines.length - kept);
        if (rows.size() <= promptRows && kept == lines.length) {
            out.addAll(rows);
            return out;
        }
        out.addAll(rows.subList(0, PROMPT_SHOWN_ROWS));
        var fold = new AttributedStringBuilder().append("  ")
                .styled(theme.style(Role.MUTED), "… +" + Footer.count(hidden, "line", "lines") + " (ctrl+o shows the whole message)");
        fold.styled(theme.style(Role.MUTED), waiting.label());
        out.add(Wrap.truncate(fold.toAttributedString(), width));
        return out;
    }

    private List<AttributedString> assistant(Block block, Part part, int width, int from, boolean details, int spinnerFrame) {
        return switch (part) {
            case Part.Text t -> t.synthetic() ? List.of() : text(block.text().substring(Math.min(from, block.text.length())), width);
            case Part.Reasoning _ -> reasoning(block, width, details);
            case Part.Tool t -> {
                var out = new ArrayList<AttributedString>(tools.render(t, width, details, spinnerFrame));
                out.addFirst(AttributedString.EMPTY);
                yield out;
            }
            case Part.File f -> List.of(AttributedString.EMPTY, theme.paint(Role.MUTED, "📎 " + f.name()));
            case Part.StepStart _, Part.StepFinish _, Part.Patch _ -> List.of();
            case Part.Compaction c -> compaction(c);
            // the task call's own line names the subagent and its state (ToolView); /sessions opens the child
            case Part.Subtask _ -> List.of();
            case Part.Retry r -> List.of(Wrap.truncate(theme.paint(Role.WARNING, "⟳ retry " + r.attempt() + ": " + r.error()), width));
            case Part.ModelSwitch m -> List.of(Wrap.truncate(theme.paint(Role.WARNING, "⇄ model " + m.from() + " → " + m.to() + " (" + m.reason() + ")"), width));
            // right under the call (or prompt) it ran for; a hook that failed or hung stands out, one that decided reads dim
            case Part.Hook h -> List.of(Wrap.truncate(theme.paint(h.misbehaved() ? Role.WARNING : Role.MUTED, h.line()), width));
        };
    }

    private List<AttributedString> compaction(Part.Compaction c) {
        return List.of(AttributedString.EMPTY, theme.paint(Role.MUTED, "── context compacted" + (c.auto() ? " automatically" : "") + " ──"));
    }

    /**
     * Assistant text from its start or from where an earlier chunk was committed: those chunks end at a block
     * boundary, so each one starts after a blank line like the first.
     */
    List<AttributedString> text(String text, int width) {
        if (text.isBlank()) return List.of();
        var out = new ArrayList<AttributedString>();
        out.add(AttributedString.EMPTY);
        out.addAll(markdown.render(text, width));
        return out;
    }

    private List<AttributedString> reasoning(Block block, int width, boolean details) {
        String text = block.text().strip();
        if (text.isEmpty() && block.done) return List.of();
        var out = new ArrayList<AttributedString>();
        out.add(AttributedString.EMPTY);
        String label = block.done ? "∴ Thought" : "∴ Thinking…";
        if (!details) {
            String last = text.isEmpty() ? "" : text.lines().reduce((a, b) -> b).orElse("").strip();
            var line = new AttributedStringBuilder().styled(theme.style(Role.REASONING), label);
            if (!block.done && !last.isEmpty()) line.styled(theme.style(Role.MUTED), " " + last);
            if (block.done) line.styled(theme.style(Role.MUTED), " (ctrl+o to expand)");
            out.add(Wrap.truncate(line.toAttributedString(), width));
            return out;
        }
        out.add(theme.paint(Role.REASONING, label));
        out.addAll(Wrap.lines(theme.paint(Role.REASONING, text), width, theme.paint(Role.BORDER, "│ "), theme.paint(Role.BORDER, "│ ")));
        return out;
    }
}
