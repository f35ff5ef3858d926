package dev.lathe.tui;

import dev.lathe.tui.input.Action;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.view.AskPanel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The asks' reducer: an ask that arrived, a key, an ask resolved elsewhere (another client answered it, or it was
 * cancelled), the asks as the server lists them, and the {@link AskState} before give the state after and the
 * {@link Effect}s the UI's loop then carries out. Which key answers follows {@link AskKeys}; an answer leaves the panel
 * in the same step that sends it, so a second Enter can never answer it twice. The loop paints after every batch of
 * signals, so no step asks for a paint.
 */
final class AskSignals {
    sealed interface Effect {
        /** Send the user's answer to the server ({@code POST /permission/:id/reply} or {@code /question/:id/reply}). */
        record SendAnswer(AskPanel.Answer answer) implements Effect {}

        /** Ctrl-C dismissed the ask: the running turn is interrupted too, as Ctrl-C does without an ask. */
        record Interrupt() implements Effect {}

        /** Say in the transcript that an ask waits for the owner of a watched session (it is not offered here). */
        record SayWaiting(String line) implements Effect {}
    }

    /** @param keyTaken for a key: whether the ask took it, else it goes on to the input and the key bindings */
    record Step(AskState state, List<Effect> effects, boolean keyTaken) {
        static Step of(AskState state, Effect... effects) { return new Step(state, List.of(effects), false); }
    }

    private AskSignals() {}

    /** An ask came: offered in the panel (after those already open), or on someone else's session only said. */
    static Step arrived(AskState state, AskPanel.Ask ask) {
        if (state.watching().isPresent()) return Step.of(state, new Effect.SayWaiting(TheirAsks.waiting(state.watching().get(), ask)));
        return Step.of(state.edited(p -> p.add(ask)));
    }

    /** An ask was answered by another client or cancelled: it leaves the panel; the next one arms afresh. */
    static Step resolved(AskState state, String id) {
        return Step.of(state.edited(p -> p.remove(id)));
    }

    /** The open asks as the server has them now (attaching, catching up after missed events): they replace the panel's. */
    static Step listed(AskState state, List<AskPanel.Ask> asks) {
        var effects = new ArrayList<Effect>();
        AskState next = state.edited(AskPanel::clear);
        for (AskPanel.Ask ask : asks) {
            Step step = arrived(next, ask);
            next = step.state();
            effects.addAll(step.effects());
        }
        return new Step(next, List.copyOf(effects), false);
    }

    /** Another session is open (or a new one): no asks, and whose they are. */
    static AskState opened(AskState state, Optional<String> watching) { return new AskState(state.edited(AskPanel::clear).panel(), watching); }

    /** A key while an ask is open: see {@link AskKeys} for which keys the ask takes. */
    static Step key(AskState state, KeyEvent key, Optional<Action> action, boolean inputEmpty) {
        if (state.isEmpty()) return Step.of(state);
        AskPanel panel = state.panel().copy();
        AskState next = new AskState(panel, state.watching());
        return switch (AskKeys.on(panel, inputEmpty, key, action)) {
            case AskKeys.Outcome.Answered a -> taken(answered(next, a.answer()), new Effect.SendAnswer(a.answer()));
            case AskKeys.Outcome.Taken _ -> taken(next);
            case AskKeys.Outcome.ToInput _ -> Step.of(state);
            case AskKeys.Outcome.Dismissed d -> {
                var effects = new ArrayList<Effect>();
                d.answer().ifPresent(answer -> effects.add(new Effect.SendAnswer(answer)));
                if (d.interrupt()) effects.add(new Effect.Interrupt());
                AskState after = d.answer().map(answer -> answered(next, answer)).orElse(next);
                yield new Step(after, List.copyOf(effects), true);
            }
        };
    }

    /** The answered ask leaves the panel (the server's reply event then finds it gone). */
    private static AskState answered(AskState state, AskPanel.Answer answer) {
        String id = switch (answer) {
            case AskPanel.Answer.ToPermission p -> p.request().id().value();
            case AskPanel.Answer.ToQuestions q -> q.request().id().value();
        };
        state.panel().remove(id);
        return state;
    }

    private static Step taken(AskState state, Effect... effects) { return new Step(state, List.of(effects), true); }
}
