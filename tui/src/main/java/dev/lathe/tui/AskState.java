package dev.lathe.tui;

import dev.lathe.tui.view.AskPanel;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The asks between two signals, owned by the UI's loop: the open permission asks and questions of the session and its
 * subagents with the selected option, the typed line and when the current one was first drawn (its arming time), all
 * in the {@link AskPanel}; and, on a team server, the owner of a session this user only watches, whose asks are told
 * but not offered. A change makes a new state: {@link #edited} edits a copy of the panel, so a state once handed out
 * (to a test, to the step before) stays as it was.
 *
 * <p>The queued note under an open ask (decision 387) is no state of its own: it is drawn from the transcript's
 * queued messages whenever an ask is open.
 *
 * @param watching the session's owner when it is someone else's: the server would refuse this user's answer
 */
record AskState(AskPanel panel, Optional<String> watching) {
    static AskState none() { return new AskState(new AskPanel(), Optional.empty()); }

    /** This state with {@code change} applied to a copy of its panel. */
    AskState edited(Consumer<AskPanel> change) {
        AskPanel copy = panel.copy();
        change.accept(copy);
        return new AskState(copy, watching);
    }

    boolean isEmpty() { return panel.isEmpty(); }
}
