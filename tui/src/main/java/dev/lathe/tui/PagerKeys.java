package dev.lathe.tui;

import dev.lathe.tui.input.Action;
import dev.lathe.tui.input.KeyEvent;
import java.util.Optional;

/**
 * The transcript view's keys (Ctrl-O): the scrolling keys of the bindings and less's j k space f b g G move it; q, Esc,
 * Ctrl-C and Ctrl-O close it. A key gives what the loop does with the view, so the mapping is tested without a terminal.
 */
final class PagerKeys {
    /** What a key does to the open transcript view. */
    sealed interface Effect {
        /** Scroll the view. */
        record Move(Scroll scroll) implements Effect {}

        /** Back to the inline UI, redrawn where it was. */
        record Close() implements Effect {}

        /** Draw the whole screen again (Ctrl-L). */
        record Redraw() implements Effect {}
    }

    enum Scroll { LINE_UP, LINE_DOWN, PAGE_UP, PAGE_DOWN, HOME, END }

    private PagerKeys() {}

    /** @return what the key does, empty when nothing */
    static Optional<Effect> on(KeyEvent key, Optional<Action> action) {
        if (key instanceof KeyEvent.Char c && !c.alt()) {
            return switch (c.codePoint()) {
                case 'q' -> Optional.of(new Effect.Close());
                case 'j' -> move(Scroll.LINE_DOWN);
                case 'k' -> move(Scroll.LINE_UP);
                case ' ', 'f' -> move(Scroll.PAGE_DOWN);
                case 'b' -> move(Scroll.PAGE_UP);
                case 'g' -> move(Scroll.HOME);
                case 'G' -> move(Scroll.END);
                default -> Optional.empty();
            };
        }
        if (key instanceof KeyEvent.Special s && s.name() == KeyEvent.Name.ESCAPE) return Optional.of(new Effect.Close());
        if (action.isEmpty()) return Optional.empty();
        return switch (action.get()) {
            case MOVE_UP, HISTORY_PREVIOUS -> move(Scroll.LINE_UP);
            case MOVE_DOWN, HISTORY_NEXT, SUBMIT -> move(Scroll.LINE_DOWN);
            case PAGE_UP -> move(Scroll.PAGE_UP);
            case PAGE_DOWN -> move(Scroll.PAGE_DOWN);
            case LINE_START -> move(Scroll.HOME);
            case LINE_END -> move(Scroll.END);
            case ABORT, INTERRUPT, TOGGLE_DETAILS, EXIT -> Optional.of(new Effect.Close());
            case REDRAW -> Optional.of(new Effect.Redraw());
            default -> Optional.empty();
        };
    }

    private static Optional<Effect> move(Scroll scroll) { return Optional.of(new Effect.Move(scroll)); }
}
