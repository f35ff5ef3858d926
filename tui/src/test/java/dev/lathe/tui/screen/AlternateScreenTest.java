package dev.lathe.tui.screen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class AlternateScreenTest {
    @Test
    void drawsFromTheTopCutToTheWidthAndWritesNothingForTheSameFrame() {
        var surface = new VirtualSurface(10, 4);
        var screen = new AlternateScreen(surface);
        screen.open();
        screen.draw(List.of(new AttributedString("first line is long"), new AttributedString("second")));
        assertThat(surface.screen()).containsExactly("first line", "second", "", "");
        surface.drain();
        screen.draw(List.of(new AttributedString("first line is long"), new AttributedString("second")));
        assertThat(surface.drain()).isEmpty();
        screen.draw(List.of(new AttributedString("a"), new AttributedString("b"), new AttributedString("c"), new AttributedString("d")));
        assertThat(surface.screen()).containsExactly("a", "b", "c", "d");
        screen.close();
        assertThat(surface.drain()).endsWith("\u001b[?1049l");
    }
}
