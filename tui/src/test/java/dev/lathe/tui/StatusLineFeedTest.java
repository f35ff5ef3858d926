package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The status line shows a script's text, never its escape sequences (DESIGN §24, §27). */
class StatusLineFeedTest {
    @Test
    void coloursTitlesAndLinksAreDroppedAndOtherControlsShown() {
        assertThat(StatusLineFeed.clean("\u001b[1;32mmain\u001b[0m │ \u001b]0;owned\u0007ctx 12%")).isEqualTo("main │ ctx 12%");
        assertThat(StatusLineFeed.clean("\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\")).isEqualTo("link");
        assertThat(StatusLineFeed.clean("bell\u0007 and \u009b31m")).isEqualTo("bell␇ and <U+009B>31m");
    }
}
