package dev.lathe.tui;

import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.term.ChildAsker;
import dev.lathe.term.VisibleControls;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.screen.Surface;
import java.util.Optional;

/**
 * The terminal's own notification (OSC 9, DESIGN §22 "Notifications") when the attached session asks, finishes its turn
 * or fails while the terminal is not focused. Focus comes from the terminal's focus reports ({@code CSI ?1004h} asks for
 * them; {@code CSI I} and {@code CSI O} arrive among the keys): a terminal that never reports is taken as focused, so it
 * is never sent a sequence it may not know. The text passes the one sanitiser of terminal text ({@link VisibleControls}):
 * a session title holding {@code BEL} or {@code ESC \} cannot end the notification early and write to the terminal. A
 * child's ask says which child asks ({@link ChildAsker}).
 */
final class TerminalNotices {
    static final String FOCUS_REPORTS_ON = "\u001b[?1004h";
    static final String FOCUS_REPORTS_OFF = "\u001b[?1004l";
    private static final String FOCUS_IN = "\u001b[I";
    private static final String FOCUS_OUT = "\u001b[O";
    /** The longest notification text, in characters: a notification shows a line, not a transcript. */
    static final int MAX_TEXT = 200;

    private final Surface surface;
    /** Written by the key reader, read by the UI thread. */
    private volatile boolean focused = true;
    /** Whether the attached session ran a turn since it was last idle: its next idle is a finished turn. */
    private boolean running;
    /** Whether that turn ended with an error already told (or the user's stop): its idle is no finished turn. */
    private boolean ended;

    TerminalNotices(Surface surface) { this.surface = surface; }

    /** Whether {@code key} was a focus report (taken here, never a key for the UI). */
    boolean focusReport(KeyEvent key) {
        if (!(key instanceof KeyEvent.Unknown u)) return false;
        if (u.sequence().equals(FOCUS_IN)) focused = true;
        else if (u.sequence().equals(FOCUS_OUT)) focused = false;
        else return false;
        return true;
    }

    boolean focused() { return focused; }

    /** An event of the attached session ({@code title} its title): told with OSC 9 when it is one and the terminal is not focused. */
    void on(Event event, String title) {
        what(event).filter(_ -> !focused).ifPresent(what -> {
            surface.write(osc9("Lathe" + (title.isBlank() ? "" : " — " + title) + ": " + what));
            surface.flush();
        });
    }

    /** What {@code event} tells, when it is a notice; notes the turn's state either way. */
    Optional<String> what(Event event) {
        return switch (event) {
            case Event.PermissionAsked a -> Optional.of(a.request().child().map(c -> ChildAsker.named(c) + " asks permission").orElse("permission asked")
                    + " (" + a.request().permission() + ")");
            case Event.QuestionAsked q -> Optional.of(q.request().child().map(c -> ChildAsker.named(c) + " asks a question").orElse("question asked"));
            case Event.SessionErrored e -> {
                boolean told = running && !ended;
                ended = true;
                yield told && !e.error().kind().equals(MessageError.aborted().kind()) ? Optional.of("turn failed (" + e.error().kind() + ")") : Optional.empty();
            }
            case Event.SessionStatusChanged s when s.status() instanceof SessionStatus.Idle -> {
                boolean finished = running && !ended;
                running = false;
                ended = false;
                yield finished ? Optional.of("turn finished") : Optional.empty();
            }
            case Event.SessionStatusChanged s when !(s.status() instanceof SessionStatus.Queued) -> {
                if (!running) ended = false;
                running = true;
                yield Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    /** OSC 9 with {@code text} made safe: controls visible, cut to {@link #MAX_TEXT}. */
    static String osc9(String text) {
        String cut = text.length() <= MAX_TEXT ? text : text.substring(0, Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT) + "…";
        return "\u001b]9;" + VisibleControls.line(cut) + "\u0007";
    }
}
