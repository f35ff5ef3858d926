package dev.lathe.tui.render;

import org.jline.utils.AttributedStyle;

/** Layering one style over another, which JLine does not offer: nested emphasis, bold table headers over links. */
final class Styles {
    // JLine keeps a colour's value bits outside the style's mask, so clearing a colour needs these bits as well.
    private static final long FG_BITS = AttributedStyle.DEFAULT.foreground(255).getStyle()
            | AttributedStyle.DEFAULT.foregroundRgb(0xffffff).getStyle();
    private static final long FG_FLAGS = AttributedStyle.DEFAULT.foreground(255).getMask()
            | AttributedStyle.DEFAULT.foregroundRgb(0xffffff).getMask();
    private static final long BG_BITS = AttributedStyle.DEFAULT.background(255).getStyle()
            | AttributedStyle.DEFAULT.backgroundRgb(0xffffff).getStyle();
    private static final long BG_FLAGS = AttributedStyle.DEFAULT.background(255).getMask()
            | AttributedStyle.DEFAULT.backgroundRgb(0xffffff).getMask();

    private Styles() {}

    /** {@code over} on top of {@code base}: what {@code over} sets wins, the rest of {@code base} stays. */
    static AttributedStyle merge(AttributedStyle base, AttributedStyle over) {
        long cleared = over.getMask();
        if ((over.getMask() & FG_FLAGS) != 0) cleared |= FG_BITS | FG_FLAGS;
        if ((over.getMask() & BG_FLAGS) != 0) cleared |= BG_BITS | BG_FLAGS;
        return new AttributedStyle((base.getStyle() & ~cleared) | over.getStyle(), (base.getMask() & ~cleared) | over.getMask());
    }
}
