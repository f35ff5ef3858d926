package dev.lathe.tui;

import dev.lathe.protocol.session.Session;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;
import dev.lathe.protocol.session.Usage;
import dev.lathe.tui.input.EditorView;
import dev.lathe.tui.input.LineEditor;
import dev.lathe.tui.screen.Cursor;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Wrap;
import dev.lathe.tui.view.Footer;
import dev.lathe.tui.view.PromptMarker;
import dev.lathe.tui.view.QueuedNote;
import dev.lathe.tui.view.Spinner;
import dev.lathe.tui.view.WorktreeLabel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * The live region under the scrollback, drawn from {@link Ui}'s state on each paint: the running turn, the status
 * line and todos, the asks, a picker, the input, the completion list and the footer (or the transcript view when open).
 */
final class LiveRegion {
    private static final EditorView IDLE_HINT = new EditorView("Ask anything… (/ for commands, @ for files)");
    private static final EditorView QUEUE_HINT = new EditorView("Enter steers the agent · Tab queues for after the turn · Esc stops");

    private final Ui ui;

    LiveRegion(Ui ui) { this.ui = ui; }

    void paint() {
        if (ui.views.pager().isPresent()) {
            ui.fullScreen.draw(ui.asks.isEmpty() ? ui.views.pager().get().render(ui.theme, ui.fullScreen.width(), ui.fullScreen.height())
                    : ui.views.pager().get().render(ui.theme, ui.fullScreen.width(), ui.fullScreen.height(), "a question or permission waits for your answer"));
            return;
        }
        int width = ui.screen.width();
        List<AttributedString> committed = ui.attached.transcript().takeCommit(ui.blocks, width, ui.details);
        List<AttributedString> live = live();
        if (committed.isEmpty()) ui.screen.render(live, cursor());
        else ui.screen.commit(committed, live, cursor());
    }

    private Optional<Cursor> editorCursor = Optional.empty();

    List<AttributedString> live() {
        int width = ui.screen.width();
        var out = new ArrayList<AttributedString>(ui.attached.transcript().live(ui.blocks, width, ui.details, ui.loop.frame()));
        if (!ui.watch.connected()) {
            out.add(AttributedString.EMPTY);
            out.add(disconnectedLine(width));
        } else if (ui.busy()) {
            out.add(AttributedString.EMPTY);
            out.add(statusLine(width));
            out.addAll(todoLines(width));
        }
        // what goes below an ask is laid out first: the ask gets the rows left, so its header and options stay on
        // screen and only its diff shrinks (the screen drops rows from the top when the live region is too tall)
        var below = new ArrayList<AttributedString>();
        // under an ask, what was sent meanwhile says it is queued: a tall ask pushes the queued lines above it away
        if (!ui.asks.isEmpty()) QueuedNote.render(ui.attached.transcript().queuedTexts(), ui.theme, width).ifPresent(below::add);
        ui.views.picker().map(PickerState::picker).ifPresent(p -> {
            below.add(AttributedString.EMPTY);
            below.addAll(p.render(ui.theme, width));
        });
        below.add(ui.theme.paint(Role.BORDER, "─".repeat(Math.max(1, width))));
        AttributedString marker = PromptMarker.of(ui.choice.agent(), ui.theme);
        var rendered = ui.connectCommand.takingKey()
                ? new EditorView("API key for " + ui.connectCommand.keyProvider() + " (esc cancels)").render(masked(), width, marker,
                        PromptMarker.indent(marker), ui.theme)
                : (ui.busy() ? QUEUE_HINT : IDLE_HINT).render(ui.composer.state().editor(), width, marker, PromptMarker.indent(marker), ui.theme);
        int editorRow = below.size();
        below.addAll(rendered.lines());
        ui.completions.state().list().ifPresent(c -> below.addAll(c.render(ui.theme, width)));
        below.add(footer().render(ui.theme, width));
        ui.asks.state().panel().inputHasText(!ui.composer.isEmpty());
        if (!ui.asks.isEmpty()) out.addAll(ui.asks.state().panel().render(ui.theme, width, ui.screen.maxLiveRows() - below.size()));
        // while an ask is open, text typed goes to the input unless the ask's own line is being edited (issue 42)
        boolean cursorInEditor = (ui.asks.isEmpty() || !ui.asks.state().panel().typing()) && ui.views.picker().isEmpty();
        editorCursor = cursorInEditor ? Optional.of(new Cursor(out.size() + editorRow + rendered.cursorRow(), rendered.cursorColumn())) : Optional.empty();
        out.addAll(below);
        return out;
    }

    Optional<Cursor> cursor() { return editorCursor; }

    /** The input as dots, for an API key being typed. */
    private LineEditor masked() {
        var dots = new LineEditor();
        dots.setText("•".repeat((int) ui.composer.text().codePoints().count()));
        return dots;
    }

    private AttributedString disconnectedLine(int width) {
        if (ui.watch.stoppedOnPurpose()) {
            var stopped = new AttributedStringBuilder()
                    .styled(ui.theme.style(Role.WARNING), "■ The server was stopped")
                    .styled(ui.theme.style(Role.MUTED), " · enter starts it again · ctrl+d exits");
            return Wrap.truncate(stopped.toAttributedString(), width);
        }
        long secs = (System.currentTimeMillis() - ui.watch.lostSince().orElse(System.currentTimeMillis())) / 1000;
        var line = new AttributedStringBuilder()
                .styled(ui.theme.style(Role.ERROR), "⚠ Disconnected from the server")
                .styled(ui.theme.style(Role.MUTED), " · reconnecting… " + secs + "s" + (ui.watch.reason().isBlank() ? "" : " · " + ui.watch.reason()));
        return Wrap.truncate(line.toAttributedString(), width);
    }

    private AttributedString statusLine(int width) {
        long since = ui.attached.turn().shownSince();
        long secs = (System.currentTimeMillis() - since) / 1000;
        var line = new AttributedStringBuilder();
        switch (ui.attached.turn().status()) {
            case SessionStatus.Retry r -> line.styled(ui.theme.style(Role.WARNING), Spinner.frame(ui.loop.frame()) + " Retrying (attempt " + r.attempt() + "): " + r.message());
            case SessionStatus.Waiting _ -> line.styled(ui.theme.style(Role.WARNING), "? Waiting for your answer");
            case SessionStatus.Queued q -> line.styled(ui.theme.style(Role.WARNING), Spinner.frame(ui.loop.frame()) + " Queued (place " + q.position()
                    + "): waiting for " + q.waitsFor());
            case SessionStatus.Busy _, SessionStatus.Idle _ -> line.styled(ui.theme.style(Role.ACCENT), Spinner.frame(ui.loop.frame()) + " Working…");
        }
        line.styled(ui.theme.style(Role.MUTED), " " + secs + "s · " + (ui.attached.turn().abortSent() ? "aborting…" : "esc to interrupt"));
        return Wrap.truncate(line.toAttributedString(), width);
    }

    private List<AttributedString> todoLines(int width) {
        var out = new ArrayList<AttributedString>();
        for (Todo t : ui.attached.todos()) {
            Role role = switch (t.status()) {
                case COMPLETED -> Role.MUTED;
                case IN_PROGRESS -> Role.ACCENT;
                case PENDING, CANCELLED -> Role.TEXT;
            };
            String mark = switch (t.status()) {
                case COMPLETED -> "  ☑ ";
                case IN_PROGRESS -> "  ◐ ";
                case PENDING -> "  ☐ ";
                case CANCELLED -> "  ☒ ";
            };
            out.add(Wrap.truncate(ui.theme.paint(role, mark + t.content()), width));
        }
        return out;
    }

    Footer footer() {
        Session s = ui.attached.session().orElse(null);
        // the session's totals grow when an answer ends: the running answer's finished steps are added meanwhile
        long cost = (s == null ? 0 : s.cost()) + ui.spend.cost();
        Usage usage = (s == null ? Usage.ZERO : s.usage()).plus(ui.spend.usage());
        return new Footer(ui.choice.agent(), ui.choice.model(), ui.contextFill.tokens(), ui.choice.contextLimit(), cost, usage, ui.composer.state().hint(), ui.mcp.summary(),
                s == null ? java.util.Optional.empty() : s.worktree().map(WorktreeLabel::of));
    }

}
