package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.QuestionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.protocol.event.Question;
import dev.lathe.protocol.event.QuestionRequest;
import dev.lathe.term.AskArming;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.input.Keybindings;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.view.AskPanel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The asks' reducer driven as a user and the server would, without a terminal or a server. */
class AskSignalsTest {
    private static final KeyEvent ENTER = KeyEvent.Special.of(KeyEvent.Name.ENTER);
    private static final KeyEvent DOWN = KeyEvent.Special.of(KeyEvent.Name.DOWN);
    private static final KeyEvent UP = KeyEvent.Special.of(KeyEvent.Name.UP);

    private final AtomicLong now = new AtomicLong(1_000);
    private final Keybindings keys = Keybindings.defaults();
    private AskState state = new AskState(new AskPanel(now::get), Optional.empty());

    private AskSignals.Step press(KeyEvent key) {
        AskSignals.Step step = AskSignals.key(state, key, keys.actionFor(key), true);
        state = step.state();
        return step;
    }

    private static AskPanel.Ask bash(String id, String command) {
        return new AskPanel.Ask.Permission(new PermissionRequest(new PermissionId(id), new SessionId("ses_1"), new MessageId("msg_1"),
                "c_" + id, "bash", List.of(command), List.of(command), command, Map.of(), 1), false);
    }

    private static AskPanel.Ask question(String id) {
        return new AskPanel.Ask.Questions(new QuestionRequest(new QuestionId(id), new SessionId("ses_1"), new MessageId("msg_1"),
                "c_" + id, List.of(new Question("Which colour?", List.of("red", "green", "blue"), false)), 1), false);
    }

    /** The painter draws the ask, and the user reads it for as long as the arming takes. */
    private void shownAndRead() {
        state.panel().render(Theme.plain(), 100);
        now.addAndGet(AskArming.MILLIS);
    }

    @Test
    void theArrowsChooseAndEnterSendsTheChosenAnswerAndClosesTheAsk() {
        state = AskSignals.arrived(state, bash("prm_1", "rm -rf build")).state();
        shownAndRead();
        assertThat(press(DOWN).keyTaken()).isTrue();
        press(DOWN);
        press(UP);
        AskSignals.Step enter = press(ENTER);
        assertThat(enter.keyTaken()).isTrue();
        var send = (AskSignals.Effect.SendAnswer) enter.effects().getFirst();
        var answer = (AskPanel.Answer.ToPermission) send.answer();
        assertThat(answer.request().id().value()).isEqualTo("prm_1");
        assertThat(answer.reply().reply()).isEqualTo(PermissionReply.ALWAYS);
        assertThat(state.isEmpty()).as("answered: gone in the same step, so a second enter answers nothing").isTrue();
        assertThat(press(ENTER).effects()).isEmpty();
    }

    @Test
    void aQuestionIsAnsweredWithTheOptionTheArrowsReached() {
        state = AskSignals.arrived(state, question("que_1")).state();
        shownAndRead();
        press(DOWN);
        press(DOWN);
        var send = (AskSignals.Effect.SendAnswer) press(ENTER).effects().getFirst();
        assertThat(((AskPanel.Answer.ToQuestions) send.answer()).reply().answers()).contains(List.of(List.of("blue")));
    }

    @Test
    void anAskAnsweredFromAnotherClientDisappearsAndTheNextOneArmsAfresh() {
        state = AskSignals.arrived(state, bash("prm_1", "rm -rf build")).state();
        state = AskSignals.arrived(state, bash("prm_2", "ls")).state();
        shownAndRead();
        AskState before = state;
        AskSignals.Step elsewhere = AskSignals.resolved(state, "prm_1");
        state = elsewhere.state();
        assertThat(elsewhere.effects()).as("nothing is sent for an ask answered elsewhere").isEmpty();
        assertThat(state.panel().current().orElseThrow().id()).isEqualTo("prm_2");
        assertThat(before.panel().current().orElseThrow().id()).as("a state handed out stays as it was").isEqualTo("prm_1");
        assertThat(press(ENTER).effects()).as("the next ask has not been drawn yet").isEmpty();

        state = AskSignals.resolved(state, "prm_2").state();
        assertThat(state.isEmpty()).isTrue();
        assertThat(state.panel().render(Theme.plain(), 100)).isEmpty();
    }

    @Test
    void keysDuringTheArmingAnswerNothingAndSayWhy() {
        state = AskSignals.arrived(state, bash("prm_1", "rm -rf build")).state();
        state.panel().render(Theme.plain(), 100);
        now.addAndGet(AskArming.MILLIS - 1);
        AskSignals.Step early = press(ENTER);
        assertThat(early.keyTaken()).isTrue();
        assertThat(early.effects()).isEmpty();
        assertThat(press(KeyEvent.Char.of('2')).keyTaken()).as("a digit goes to the input while arming").isFalse();
        assertThat(state.panel().render(Theme.plain(), 100).getLast().toString()).contains("just appeared");
        now.addAndGet(1);
        assertThat(press(ENTER).effects()).singleElement().isInstanceOf(AskSignals.Effect.SendAnswer.class);
    }

    @Test
    void ctrlCRejectsTheAskAndInterruptsTheTurn() {
        state = AskSignals.arrived(state, bash("prm_1", "rm -rf build")).state();
        shownAndRead();
        var effects = press(KeyEvent.Ctrl.of('c')).effects();
        assertThat(effects).hasSize(2);
        var send = (AskSignals.Effect.SendAnswer) effects.getFirst();
        assertThat(((AskPanel.Answer.ToPermission) send.answer()).reply().reply()).isEqualTo(PermissionReply.REJECT);
        assertThat(effects.get(1)).isInstanceOf(AskSignals.Effect.Interrupt.class);
        assertThat(state.isEmpty()).isTrue();
    }

    @Test
    void anAskOfAWatchedSessionIsToldNotOffered() {
        state = AskSignals.opened(state, Optional.of("bob"));
        AskSignals.Step step = AskSignals.listed(state, List.of(bash("prm_1", "rm -rf build")));
        assertThat(step.state().isEmpty()).isTrue();
        assertThat(((AskSignals.Effect.SayWaiting) step.effects().getFirst()).line()).contains("waiting for bob").contains("rm -rf build");
    }
}
