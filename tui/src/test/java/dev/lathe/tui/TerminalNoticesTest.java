package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.Event;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.session.MessageError;
import dev.lathe.protocol.session.SessionStatus;
import dev.lathe.tui.input.CharSource;
import dev.lathe.tui.input.KeyDecoder;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.screen.Surface;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The terminal's notification (OSC 9): sent only while the terminal reports it is not focused, for an ask, a finished
 * turn and a failed one; its text never carries a control character, so a title cannot end it early or write to the
 * terminal; focus reports are taken out of the keys.
 */
class TerminalNoticesTest {
    private static final SessionId ID = SessionId.next();

    private static final class Written implements Surface {
        final List<String> out = new ArrayList<>();

        @Override public int width() { return 80; }

        @Override public int height() { return 24; }

        @Override public void write(String ansi) { out.add(ansi); }

        @Override public void flush() { }

        @Override public int colors() { return 256; }
    }

    private static KeyEvent decoded(String sequence) {
        var chars = new java.util.ArrayDeque<Integer>();
        sequence.chars().forEach(chars::add);
        CharSource source = timeout -> chars.isEmpty() ? CharSource.EOF : chars.pop();
        return new KeyDecoder(source).next().orElseThrow();
    }

    private static Event asked() {
        return new Event.PermissionAsked(new PermissionRequest(PermissionId.next(), ID, MessageId.next(), "c1", "bash", List.of("rm -rf x"),
                List.of(), "bash rm -rf x", Map.of(), 0, Optional.empty()));
    }

    private static Event status(SessionStatus status) { return new Event.SessionStatusChanged(ID, status); }

    @Test
    void focusReportsAreTakenOutOfTheKeysAndNothingIsSentWhileFocused() {
        var surface = new Written();
        var notices = new TerminalNotices(surface);
        assertThat(notices.focusReport(decoded("a"))).isFalse();
        assertThat(notices.focusReport(decoded("\u001b[A"))).as("an arrow key stays a key").isFalse();
        notices.on(asked(), "t");
        assertThat(surface.out).as("a terminal that never reported focus is taken as focused").isEmpty();
        assertThat(notices.focusReport(decoded("\u001b[O"))).isTrue();
        assertThat(notices.focused()).isFalse();
        notices.on(asked(), "fix the build");
        assertThat(surface.out).containsExactly("\u001b]9;Lathe — fix the build: permission asked (bash)\u0007");
        assertThat(notices.focusReport(decoded("\u001b[I"))).isTrue();
        notices.on(asked(), "fix the build");
        assertThat(surface.out).hasSize(1);
    }

    @Test
    void aFinishedTurnAndAFailedOneAreToldOnceAndTheUsersStopIsNot() {
        var surface = new Written();
        var notices = new TerminalNotices(surface);
        notices.focusReport(decoded("\u001b[O"));
        notices.on(status(SessionStatus.IDLE), "");
        assertThat(surface.out).as("idle with no turn run is nothing").isEmpty();
        notices.on(status(SessionStatus.BUSY), "");
        notices.on(status(SessionStatus.IDLE), "");
        assertThat(surface.out).containsExactly("\u001b]9;Lathe: turn finished\u0007");
        notices.on(status(SessionStatus.BUSY), "");
        notices.on(new Event.SessionErrored(ID, new MessageError("provider", "boom")), "");
        notices.on(status(SessionStatus.IDLE), "");
        assertThat(surface.out).last().isEqualTo("\u001b]9;Lathe: turn failed (provider)\u0007");
        assertThat(surface.out).hasSize(2);
        notices.on(status(SessionStatus.BUSY), "");
        notices.on(new Event.SessionErrored(ID, MessageError.aborted()), "");
        notices.on(status(SessionStatus.IDLE), "");
        assertThat(surface.out).hasSize(2);
    }

    @Test
    void aTitleWithEscapeSequencesCannotEndTheNotificationOrReachTheTerminal() {
        String osc = TerminalNotices.osc9("Lathe — evil\u0007\u001b]52;c;SGVsbG8=\u0007\u001b\\\u009b2J\u202e\nnext: turn finished");
        assertThat(osc).startsWith("\u001b]9;").endsWith("\u0007");
        String text = osc.substring(4, osc.length() - 1);
        assertThat(text.codePoints().filter(cp -> cp < 0x20 || cp == 0x7f || cp >= 0x80 && cp <= 0x9f || cp == 0x202e)).isEmpty();
        assertThat(text).contains("␛]52;c;SGVsbG8=").contains("<U+009B>");
    }

    @Test
    void aHugeTitleIsCut() {
        String osc = TerminalNotices.osc9("Lathe — " + "x".repeat(100_000));
        assertThat(osc.length()).isLessThan(TerminalNotices.MAX_TEXT + 10);
    }

    /** DESIGN §18: a child's ask says which child asks; the child's title cannot end the notification (§24). */
    @Test
    void aChildsAskSaysWhichChildAsks() {
        var surface = new Written();
        var notices = new TerminalNotices(surface);
        notices.focusReport(decoded("\u001b[O"));
        var child = Optional.of(new dev.lathe.protocol.event.AskingChild(SessionId.next(), "general", "Scan\u0007\u001b]52;c;eA== (@general subagent)"));
        notices.on(new Event.PermissionAsked(new PermissionRequest(PermissionId.next(), SessionId.next(), MessageId.next(), "c1", "bash", List.of("ls"),
                List.of(), "ls", Map.of(), 0, Optional.empty(), dev.lathe.protocol.event.ApprovalScope.PROJECT, child)), "fix the build");
        assertThat(surface.out).containsExactly("\u001b]9;Lathe — fix the build: child \"Scan␇␛]52;c;eA== (@general subagent)\" asks permission (bash)\u0007");
    }
}
