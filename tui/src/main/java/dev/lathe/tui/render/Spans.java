package dev.lathe.tui.render;

import dev.lathe.tui.text.Role;
import dev.lathe.tui.text.Theme;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

/** Collects the pieces of one highlighted line, each painted by its role over the theme's {@link Role#CODE} style. */
final class Spans {
    private final Theme theme;
    private final AttributedStringBuilder out = new AttributedStringBuilder();

    Spans(Theme theme) {
        this.theme = theme;
    }

    void add(String text, Role role) {
        if (text.isEmpty()) return;
        var style = role == Role.CODE ? theme.style(Role.CODE) : Styles.merge(theme.style(Role.CODE), theme.style(role));
        out.style(style).append(text);
    }

    AttributedString toAttributedString() {
        return out.toAttributedString();
    }
}
