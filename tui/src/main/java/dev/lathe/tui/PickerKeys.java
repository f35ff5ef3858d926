package dev.lathe.tui;

import dev.lathe.protocol.session.Session;
import dev.lathe.tui.input.Action;
import dev.lathe.tui.input.KeyEvent;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The open picker's reducer: text filters the list, the moving and editing keys of the bindings move and edit it,
 * Enter chooses the highlighted row, Esc and Ctrl-C close it, and the session picker's own keys make a new session or
 * fork the highlighted one. It gives the picker after the key (none once closed) and the {@link Effect}s the loop then
 * carries out, the picker already closed, so a choice may open the next picker.
 */
final class PickerKeys {
    sealed interface Effect {
        /** Enter chose {@code value}: the picker's own action runs with it. */
        record Chosen(Consumer<Object> onChoice, Object value) implements Effect {}

        /** Ctrl-N in the session picker: a new session (made at its first message). */
        record NewSession() implements Effect {}

        /** Ctrl-F in the session picker: fork the highlighted session and open the fork. */
        record Fork(Session session) implements Effect {}
    }

    record Step(Optional<PickerState> state, List<Effect> effects) {
        static Step open(PickerState state) { return new Step(Optional.of(state), List.of()); }

        static Step closed(Effect... effects) { return new Step(Optional.empty(), List.of(effects)); }
    }

    private PickerKeys() {}

    static Step on(PickerState state, KeyEvent key, Optional<Action> action) {
        if (key instanceof KeyEvent.Char c && !c.alt()) {
            state.picker().type(Character.toString(c.codePoint()));
            return Step.open(state);
        }
        if (key instanceof KeyEvent.Ctrl ctrl && state.kind() == PickerState.Kind.SESSIONS) {
            switch (ctrl.key()) {
                case 'n' -> { return Step.closed(new Effect.NewSession()); }
                case 'f' -> {
                    return state.picker().chosen().map(s -> Step.closed(new Effect.Fork((Session) s))).orElseGet(Step::closed);
                }
                default -> { }
            }
        }
        if (action.isEmpty()) {
            boolean escape = key instanceof KeyEvent.Special s && s.name() == KeyEvent.Name.ESCAPE;
            return escape ? Step.closed() : Step.open(state);
        }
        if (state.picker().edit(action.get())) return Step.open(state);
        return switch (action.get()) {
            case SUBMIT -> state.picker().chosen().map(v -> Step.closed(new Effect.Chosen(state.onChoice(), v))).orElseGet(Step::closed);
            case ABORT, INTERRUPT -> Step.closed();
            default -> Step.open(state);
        };
    }
}
