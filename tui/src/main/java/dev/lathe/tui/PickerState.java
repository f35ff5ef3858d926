package dev.lathe.tui;

import dev.lathe.protocol.session.Session;
import dev.lathe.tui.view.Picker;
import java.util.function.Consumer;

/**
 * The open picker (model, agent, session, remembered answers, the trust question), owned by the UI's loop: the list
 * with its filter and highlighted row, what Enter does with the chosen row, and whether it is the session picker,
 * whose rows also take the session choices (Ctrl-N a new session, Ctrl-F a fork of the highlighted one). The list
 * filters and moves in place: it is a view the painter reads; opening and closing is the state's change.
 */
record PickerState(Picker<?> picker, Consumer<Object> onChoice, Kind kind) {
    /** Whether the rows are sessions, which the session choices act on. */
    enum Kind { CHOICE, SESSIONS }

    static PickerState of(Picker<?> picker, Consumer<Object> onChoice) { return new PickerState(picker, onChoice, Kind.CHOICE); }

    static PickerState sessions(Picker<Session> picker, Consumer<Object> onChoice) { return new PickerState(picker, onChoice, Kind.SESSIONS); }
}
