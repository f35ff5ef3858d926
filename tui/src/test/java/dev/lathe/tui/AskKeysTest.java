package dev.lathe.tui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.protocol.MessageId;
import dev.lathe.protocol.PermissionId;
import dev.lathe.protocol.SessionId;
import dev.lathe.protocol.event.PermissionReply;
import dev.lathe.protocol.event.PermissionRequest;
import dev.lathe.term.AskArming;
import dev.lathe.tui.input.KeyEvent;
import dev.lathe.tui.input.Keybindings;
import dev.lathe.tui.text.Theme;
import dev.lathe.tui.view.AskPanel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The keys of an open ask (issue 42): nothing typed for the input, and nothing in the first moment, answers it. */
class AskKeysTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final AskPanel asks = new AskPanel(now::get);
    private final Keybindings keys = Keybindings.defaults();

    private AskKeys.Outcome press(KeyEvent key, boolean inputEmpty) {
        return AskKeys.on(asks, inputEmpty, key, keys.actionFor(key));
    }

    private static final KeyEvent ENTER = KeyEvent.Special.of(KeyEvent.Name.ENTER);
    private static final KeyEvent ESC = KeyEvent.Special.of(KeyEvent.Name.ESCAPE);

    private void openBashAsk() {
        asks.add(new AskPanel.Ask.Permission(new PermissionRequest(new PermissionId("prm_1"), new SessionId("ses_1"),
                new MessageId("msg_1"), "c1", "bash", List.of("rm -rf build"), List.of("rm *"), "rm -rf build", Map.of(), 1), false));
    }

    private String keysLine() {
        var lines = asks.render(Theme.plain(), 100);
        return lines.getLast().toString();
    }

    @Test
    void aDigitAndEnterRightAfterTheAskAppearsGoToTheInputAndAnswerNothing() {
        openBashAsk();
        assertThat(keysLine()).contains("keys answer it in a moment");
        now.addAndGet(300);
        assertThat(press(KeyEvent.Char.of('2'), true)).isInstanceOf(AskKeys.Outcome.ToInput.class);
        // the input now holds "2": Enter queues it as a message
        assertThat(press(ENTER, false)).isInstanceOf(AskKeys.Outcome.ToInput.class);
        now.addAndGet(1_000);
        // even armed, Enter with text in the input is the input's
        assertThat(press(ENTER, false)).isInstanceOf(AskKeys.Outcome.ToInput.class);
        assertThat(press(KeyEvent.Char.of('2'), false)).as("a digit in a message being typed").isInstanceOf(AskKeys.Outcome.ToInput.class);
    }

    @Test
    void aConfirmBeforeTheAskIsArmedIsHeldWithANotice() {
        openBashAsk();
        keysLine();
        now.addAndGet(AskArming.MILLIS - 1);
        assertThat(press(ENTER, true)).isInstanceOf(AskKeys.Outcome.Taken.class);
        assertThat(press(ESC, true)).as("esc does not reject yet either").isInstanceOf(AskKeys.Outcome.Taken.class);
        assertThat(keysLine()).contains("just appeared");
        now.addAndGet(1);
        var answered = (AskKeys.Outcome.Answered) press(ENTER, true);
        assertThat(((AskPanel.Answer.ToPermission) answered.answer()).reply().reply()).isEqualTo(PermissionReply.ONCE);
    }

    @Test
    void theArmingDelayCountsFromWhenTheAskIsDrawnNotWhenItArrived() {
        openBashAsk();
        now.addAndGet(5_000);
        assertThat(asks.armed()).isFalse();
        assertThat(press(ENTER, true)).isInstanceOf(AskKeys.Outcome.Taken.class);
        keysLine();
        assertThat(press(ENTER, true)).isInstanceOf(AskKeys.Outcome.Taken.class);
        now.addAndGet(AskArming.MILLIS);
        assertThat(press(ENTER, true)).isInstanceOf(AskKeys.Outcome.Answered.class);
    }

    @Test
    void aDigitOnlySelectsAndEnterOnAnEmptyInputConfirms() {
        openBashAsk();
        keysLine();
        now.addAndGet(AskArming.MILLIS);
        assertThat(keysLine()).contains("enter to confirm");
        assertThat(press(KeyEvent.Char.of('2'), true)).isInstanceOf(AskKeys.Outcome.Taken.class);
        assertThat(keysLine()).contains("enter to confirm");
        var answered = (AskKeys.Outcome.Answered) press(ENTER, true);
        assertThat(((AskPanel.Answer.ToPermission) answered.answer()).reply().reply()).isEqualTo(PermissionReply.ALWAYS);
    }

    @Test
    void theRejectLineTakesTypingOnlyOnceSelected() {
        openBashAsk();
        keysLine();
        now.addAndGet(AskArming.MILLIS);
        assertThat(press(KeyEvent.Char.of('x'), true)).as("option 1 selected: text is the input's").isInstanceOf(AskKeys.Outcome.ToInput.class);
        press(KeyEvent.Char.of('3'), true);
        for (char c : "no".toCharArray()) assertThat(press(KeyEvent.Char.of(c), true)).isInstanceOf(AskKeys.Outcome.Taken.class);
        var answered = (AskKeys.Outcome.Answered) press(ENTER, false);
        var reply = ((AskPanel.Answer.ToPermission) answered.answer()).reply();
        assertThat(reply.reply()).isEqualTo(PermissionReply.REJECT);
        assertThat(reply.message()).contains("no");
    }

    @Test
    void withTextInTheInputTheKeysLineSaysEnterQueuesIt() {
        openBashAsk();
        keysLine();
        now.addAndGet(AskArming.MILLIS);
        asks.inputHasText(true);
        assertThat(keysLine()).contains("enter queues your message");
    }

    @Test
    void theNextAskArmsAfresh() {
        openBashAsk();
        asks.add(new AskPanel.Ask.Permission(new PermissionRequest(new PermissionId("prm_2"), new SessionId("ses_1"),
                new MessageId("msg_1"), "c2", "bash", List.of("ls"), List.of("ls"), "ls", Map.of(), 1), false));
        keysLine();
        now.addAndGet(AskArming.MILLIS);
        assertThat(press(ENTER, true)).isInstanceOf(AskKeys.Outcome.Answered.class);
        asks.remove("prm_1");
        assertThat(press(ENTER, true)).as("the second ask has not been drawn").isInstanceOf(AskKeys.Outcome.Taken.class);
    }
}
