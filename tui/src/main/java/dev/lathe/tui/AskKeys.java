package dev.lathe.tui;

import dev.lathe.term.AskArming;
import dev.lathe.tui.input.Action;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.view.AskPanel;
import java.util.Optional;

/**
 * What a key does while an ask is open (issue 42). Keys typed for the message being written must never answer an
 * ask: text goes to the input (a message queued for the agent), Enter with text in the input queues that text, a
 * digit only selects an option, and only Enter on an empty input (or Esc, rejecting) answers, and only once the ask
 * has been on screen for {@link AskArming#MILLIS}. A confirm before then is held back with a visible notice.
 * The ask's own line (the message sent with a rejection, one's own answer, the "always" rules) takes the typing only
 * once its option has been selected.
 */
final class AskKeys {
    /** What the key does. */
    sealed interface Outcome {
        /** Send this answer. */
        record Answered(AskPanel.Answer answer) implements Outcome {}

        /** The ask took the key (selection moved, its line edited, a notice shown). */
        record Taken() implements Outcome {}

        /** Not the ask's: the editor and the global key bindings handle it (text, Enter queuing the input…). */
        record ToInput() implements Outcome {}

        /** Esc or Ctrl-C: reject/dismiss the ask; Ctrl-C then also interrupts the turn. */
        record Dismissed(Optional<AskPanel.Answer> answer, boolean interrupt) implements Outcome {}
    }

    static final String HELD = "just appeared: read it, then press enter again to confirm";

    private AskKeys() { }

    static Outcome on(AskPanel asks, boolean inputEmpty, KeyEvent key, Optional<Action> action) {
        if (key instanceof KeyEvent.Char c && !c.alt()) {
            int cp = c.codePoint();
            if (asks.typing()) {
                asks.type(Character.toString(cp));
                return taken(asks);
            }
            if (inputEmpty && asks.armed() && cp >= '1' && cp <= '9' && asks.select(cp - '0')) return taken(asks);
            if (inputEmpty && asks.armed() && cp == ' ' && asks.multipleChoice()) {
                asks.toggle();
                return taken(asks);
            }
            return new Outcome.ToInput();
        }
        if (key instanceof KeyEvent.Paste p) {
            if (!asks.typing()) return new Outcome.ToInput();
            asks.type(p.text().replace('\n', ' '));
            return taken(asks);
        }
        if (action.isEmpty()) {
            if (key instanceof KeyEvent.Special s && s.name() == KeyEvent.Name.ESCAPE) return dismiss(asks, false);
            return new Outcome.ToInput();
        }
        return switch (action.get()) {
            case MOVE_UP, HISTORY_PREVIOUS -> {
                asks.up();
                yield taken(asks);
            }
            case MOVE_DOWN, HISTORY_NEXT -> {
                asks.down();
                yield taken(asks);
            }
            case PAGE_UP -> {
                asks.pageUp();
                yield new Outcome.Taken();
            }
            case PAGE_DOWN -> {
                asks.pageDown();
                yield new Outcome.Taken();
            }
            case DELETE_BACKWARD -> {
                if (!asks.typing()) yield new Outcome.ToInput();
                asks.backspace();
                yield new Outcome.Taken();
            }
            case SUBMIT -> confirm(asks, inputEmpty);
            case ABORT -> dismiss(asks, false);
            case INTERRUPT -> new Outcome.Dismissed(asks.dismiss(), true);
            default -> new Outcome.ToInput();
        };
    }

    /** Enter: the input's text is a message to queue; an empty input confirms the selected option once armed. */
    private static Outcome confirm(AskPanel asks, boolean inputEmpty) {
        if (!inputEmpty && !asks.typing()) return new Outcome.ToInput();
        if (!asks.armed()) {
            asks.notice(HELD);
            return new Outcome.Taken();
        }
        asks.notice("");
        return asks.confirm().<Outcome>map(Outcome.Answered::new).orElseGet(Outcome.Taken::new);
    }

    /** Esc rejects, but not in the first moment either: it may have been meant for the turn or the input. */
    private static Outcome dismiss(AskPanel asks, boolean interrupt) {
        if (!asks.armed()) {
            asks.notice("just appeared: read it, then press esc again to reject");
            return new Outcome.Taken();
        }
        return new Outcome.Dismissed(asks.dismiss(), interrupt);
    }

    private static Outcome taken(AskPanel asks) {
        if (asks.armed()) asks.notice("");
        return new Outcome.Taken();
    }
}
