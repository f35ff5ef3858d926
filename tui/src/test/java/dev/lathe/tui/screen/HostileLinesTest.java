package dev.lathe.tui.screen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** Both screens pass every line through VisibleControls (term): terminal-injection text is drawn, never obeyed (issue 25). */
class HostileLinesTest {
    /** Escape sequences of every introducer, C1 controls, overwrites and a bidi override, as a model or a file may carry them. */
    private static final List<AttributedString> HOSTILE = List.of(
            "\u001b[H\u001b[31mred", "x\u001b]52;c;ZWNobyBwd25lZA==\u0007y", "\u001b]0;pwned\u0007", "\u001bP1$r\u001b\\",
            "\u001b_Gpayload\u001b\\", "a\u009b31mb", "\u009d52;c;aGk=\u009c", "safe\b\b\b\bevil", "rm -rf /\rls", "file\u202Etxt.exe")
            .stream().map(AttributedString::new).toList();

    @Test
    void theScreensShowHostileTextAndTheTerminalObeysNothingOfIt() {
        var vt = new VirtualSurface(120, 30);
        var screen = new InlineScreen(vt);
        screen.commit(HOSTILE, List.of(new AttributedString("> ")), Optional.of(new Cursor(0, 2)));
        String written = vt.drain();
        // the only escapes written are the screen's own: every ESC is followed by what InlineScreen and SGR use
        assertThat(written).doesNotContain("\u001b]", "\u001bP", "\u001b_", "\u009b", "\u009d", "\u0007", "\u202e", "\b");
        assertThat(vt.all()).contains("x␛]52;c;ZWNobyBwd25lZA==␇y", "file<U+202E>txt.exe", "rm -rf /␍ls", "safe␈␈␈␈evil");

        var alternate = new AlternateScreen(vt);
        alternate.open();
        alternate.draw(HOSTILE);
        assertThat(vt.drain()).doesNotContain("\u001b]", "\u0007", "\u202e", "\u009b");
        assertThat(vt.screen()).contains("␛[H␛[31mred");
    }
}
