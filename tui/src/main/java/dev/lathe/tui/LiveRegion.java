package dev.lathe.tui;

import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.protocol.session.Todo;
import dev.lathe.tui.input.EditorView;
import dev.lathe.tui.input.LineEditor;
import dev.lathe.tui.screen.AlternateScreen;
import dev.lathe.tui.screen.Cursor;
import dev.lathe.tui.screen.InlineScreen;
import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.view.BlockView;
import dev.lathe.tui.text.Wrap;
import dev.lathe.tui.view.PromptMarker;
import dev.lathe.tui.view.QueuedNote;
import dev.lathe.tui.view.Spinner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/**
 * The live region under the scrollback, drawn from the UI's state on each paint: the running turn, the status
 * line and todos, the asks, a picker, the input, the completion list and the footer (or the transcript view when open).
 */
final class LiveRegion {
    private static final EditorView IDLE_HINT = new EditorView("Ask anything… (/ for commands, @ for files)");
    private static final EditorView QUEUE_HINT = new EditorView("Enter steers the agent · Tab queues for after the turn · Esc stops");

    /** Inline tool output and reasoning stay short: the transcript view (Ctrl-O) shows them whole. */
    private static final boolean DETAILS = false;

    private final UiState ui;
    private final InlineScreen screen;
    private final AlternateScreen fullScreen;
    private final Theme theme;
    private final BlockView blocks;
    private final AttachedSession attached;
    private final Composer composer;
    private final OpenAsks asks;
    private final OpenViews views;
    private final FooterLine footer;
    private final ServerStatus server;
    private final ApiKeyEntry keyEntry;

    /** The agent team's board under the turn, when {@code /team} shows it. */
    private final TeamPanel team;
    /** The session's diff under the turn, when {@code /diff} shows it. */
    private final DiffPanel diff;
    /** The folder's status line command's output, the last line (DESIGN §27). */
    private final StatusLineFeed statusLine;

    LiveRegion(UiState ui, InlineScreen screen, AlternateScreen fullScreen, ServerStatus server, ApiKeyEntry keyEntry, TeamPanel team,
            DiffPanel diff, StatusLineFeed statusLine) {
        this.ui = ui;
        this.team = team;
        this.diff = diff;
        this.statusLine = statusLine;
        this.screen = screen;
        this.fullScreen = fullScreen;
        this.theme = ui.theme();
        this.attached = ui.attached();
        this.composer = ui.composer();
        this.asks = ui.asks();
        this.views = ui.views();
        this.blocks = new BlockView(theme, callId -> asks.state().panel().waitingOn(callId),
                callId -> attached.transcript().autos().of(callId));
        this.footer = new FooterLine(attached, ui.choice(), ui.spend(), ui.contextFill(), ui.mcp(), composer);
        this.server = server;
        this.keyEntry = keyEntry;
    }

    /** The inline UI drawn again from scratch. */
    void redraw() { screen.resized(live(), cursor()); }

    /** Back from the pager (the transcript view, {@code /help}) to the inline UI, redrawn where it was. */
    void closeTranscript() {
        if (views.pager().isEmpty()) return;
        views.closePager();
        fullScreen.close();
        redraw();
    }

    /** The pager drawn again (Ctrl-L there). */
    void redrawTranscript() { fullScreen.open(); }

    /** The spinner's frame now. */
    private int frame() { return ui.loop().frame(); }

    void paint() {
        if (views.pager().isPresent()) {
            fullScreen.draw(asks.isEmpty() ? views.pager().get().render(theme, fullScreen.width(), fullScreen.height())
                    : views.pager().get().render(theme, fullScreen.width(), fullScreen.height(), "a question or permission waits for your answer"));
            return;
        }
        int width = screen.width();
        List<AttributedString> committed = attached.transcript().takeCommit(blocks, width, DETAILS);
        List<AttributedString> live = live();
        if (committed.isEmpty()) screen.render(live, cursor());
        else screen.commit(committed, live, cursor());
    }

    private Optional<Cursor> editorCursor = Optional.empty();

    List<AttributedString> live() {
        int width = screen.width();
        var out = new ArrayList<AttributedString>(attached.transcript().live(blocks, width, DETAILS, frame()));
        if (!server.connected()) {
            out.add(AttributedString.EMPTY);
            out.add(disconnectedLine(width));
        } else if (attached.busy()) {
            out.add(AttributedString.EMPTY);
            out.add(statusLine(width));
            out.addAll(todoLines(width));
        }
        out.addAll(team.lines(width));
        out.addAll(diff.lines(width));
        // what goes below an ask is laid out first: the ask gets the rows left, so its header and options stay on
        // screen and only its diff shrinks (the screen drops rows from the top when the live region is too tall)
        var below = new ArrayList<AttributedString>();
        // under an ask, what was sent meanwhile says it is queued: a tall ask pushes the queued lines above it away
        if (!asks.isEmpty()) QueuedNote.render(attached.transcript().queuedTexts(), theme, width).ifPresent(below::add);
        views.picker().map(PickerState::picker).ifPresent(p -> {
            below.add(AttributedString.EMPTY);
            below.addAll(p.render(theme, width));
        });
        below.add(theme.paint(Role.BORDER, "─".repeat(Math.max(1, width))));
        AttributedString marker = composer.state().editor().startsWith(PromptKeys.SHELL_PREFIX) && !keyEntry.takingKey() ? PromptMarker.shell(theme)
                : PromptMarker.of(ui.choice().agent(), theme);
        var rendered = keyEntry.takingKey()
                ? new EditorView("API key for " + keyEntry.keyProvider() + " (esc cancels)").render(masked(), width, marker,
                        PromptMarker.indent(marker), theme)
                : (attached.busy() ? QUEUE_HINT : IDLE_HINT).render(composer.state().editor(), width, marker, PromptMarker.indent(marker), theme);
        int editorRow = below.size();
        below.addAll(rendered.lines());
        views.completion().list().ifPresent(c -> below.addAll(c.render(theme, width)));
        below.add(footer.footer().render(theme, width));
        below.addAll(statusLine.lines(attached.session(), attached.busy(), theme, width));
        asks.state().panel().inputHasText(!composer.isEmpty());
        if (!asks.isEmpty()) out.addAll(asks.state().panel().render(theme, width, screen.maxLiveRows() - below.size()));
        // while an ask is open, text typed goes to the input unless the ask's own line is being edited (issue 42)
        boolean cursorInEditor = (asks.isEmpty() || !asks.state().panel().typing()) && views.picker().isEmpty();
        editorCursor = cursorInEditor ? Optional.of(new Cursor(out.size() + editorRow + rendered.cursorRow(), rendered.cursorColumn())) : Optional.empty();
        out.addAll(below);
        return out;
    }

    Optional<Cursor> cursor() { return editorCursor; }

    /** The input as dots, for an API key being typed. */
    private LineEditor masked() {
        var dots = new LineEditor();
        dots.setText("•".repeat((int) composer.text().codePoints().count()));
        return dots;
    }

    private AttributedString disconnectedLine(int width) {
        if (server.stoppedOnPurpose()) {
            var stopped = new AttributedStringBuilder()
                    .styled(theme.style(Role.WARNING), "■ The server was stopped")
                    .styled(theme.style(Role.MUTED), " · enter starts it again · ctrl+d exits");
            return Wrap.truncate(stopped.toAttributedString(), width);
        }
        long secs = (System.currentTimeMillis() - server.lostSince().orElse(System.currentTimeMillis())) / 1000;
        var line = new AttributedStringBuilder()
                .styled(theme.style(Role.ERROR), "⚠ Disconnected from the server")
                .styled(theme.style(Role.MUTED), " · reconnecting… " + secs + "s" + (server.reason().isBlank() ? "" : " · " + server.reason()));
        return Wrap.truncate(line.toAttributedString(), width);
    }

    private AttributedString statusLine(int width) {
        long now = System.currentTimeMillis();
        long since = attached.turn().shownSince(asks.state().panel().askedAt(), now);
        long secs = (now - since) / 1000;
        var line = new AttributedStringBuilder();
        switch (attached.turn().status()) {
            case SessionStatus.Retry r -> line.styled(theme.style(Role.WARNING), Spinner.frame(frame()) + " Retrying (attempt " + r.attempt() + "): " + r.message());
            case SessionStatus.Waiting _ -> line.styled(theme.style(Role.WARNING), "? Waiting for your answer");
            case SessionStatus.Queued q -> line.styled(theme.style(Role.WARNING), Spinner.frame(frame()) + " Queued (place " + q.position()
                    + "): waiting for " + q.waitsFor());
            case SessionStatus.Busy _, SessionStatus.Idle _ -> line.styled(theme.style(Role.ACCENT), Spinner.frame(frame()) + " Working…");
        }
        line.styled(theme.style(Role.MUTED), " " + secs + "s · " + (attached.turn().abortSent() ? "aborting…" : "esc to interrupt"));
        return Wrap.truncate(line.toAttributedString(), width);
    }

    private List<AttributedString> todoLines(int width) {
        var out = new ArrayList<AttributedString>();
        for (Todo t : attached.todos()) {
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
            out.add(Wrap.truncate(theme.paint(role, mark + t.content()), width));
        }
        return out;
    }

}
